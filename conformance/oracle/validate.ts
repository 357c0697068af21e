/**
 * `aiospec validate`: the corpus agrees with real CPython.
 *
 * CLI wiring (conformance/cli.ts): `export async function cmdValidate(args:
 * string[]): Promise<number>`, where `args` are the words after `validate`:
 *   aiospec validate [ID|GLOB|FILE ...] [--python 3.11,3.12] [--timeout MS] [--dir DIR]
 * Every selected scenario runs on every available CPython whose version lies
 * in its `python` range and must match the expectation for that version
 * (design principle 1: a scenario CPython disagrees with is a wrong
 * scenario). Exit 0 when all agree, 1 with a report otherwise, 2 when there
 * is nothing to validate with.
 */
import type { Scenario } from '../language/ast';
import { compare, selectExpectation } from '../runner/compare';
import { oracleRun, type Interpreter, type RunOutcome } from './interpreters';
import { KNOWN_PYTHONS, matches } from '../language/versions';

export type Judgement =
  | { status: 'pass' }
  | { status: 'fail'; detail: string[] }
  | { status: 'error'; detail: string[] }
  | { status: 'unsupported'; detail: string[] }
  | { status: 'not-applicable' };

/** Whether CPython `version`'s run of `scenario` matches what the scenario expects for that version. */
export function judge(scenario: Scenario, version: string, run: RunOutcome | undefined): Judgement {
  if (!matches(scenario.python, version)) return { status: 'not-applicable' };
  if (!run) return { status: 'error', detail: ['not run'] };
  if (!run.ok) return { status: run.unsupported ? 'unsupported' : 'error', detail: [run.reason] };
  const expectation = selectExpectation(scenario, version);
  if (!expectation) return { status: 'fail', detail: [`no expectation covers Python ${version} (run \`aiospec bless ${scenario.id}\`)`] };
  const verdict = compare(run.result, expectation);
  if (verdict.pass) return { status: 'pass' };
  const d = verdict.divergence!;
  return { status: 'fail', detail: [d.message, ...(d.context ?? [])] };
}

export async function cmdValidate(args: string[]): Promise<number> {
  const run = await oracleRun(args, 'usage: aiospec validate [ID|GLOB|FILE ...] [--python 3.11,3.12] [--timeout MS] [--dir DIR]');
  if (typeof run === 'number') return run;
  const { words, corpusErrors, unmatched, scenarios, pythons, results } = run;
  const report = validationReport(scenarios, pythons, results);
  console.log(report.text);
  // A file the loader refuses fails a validation of the whole corpus, not of a selection.
  const loadFailed = words.length === 0 && corpusErrors.length > 0;
  return report.ok && unmatched.length === 0 && !loadFailed ? 0 : 1;
}

/** The validation report: one block per disagreement, then a summary line. */
export function validationReport(
  scenarios: Scenario[],
  pythons: Interpreter[],
  results: Map<string, Map<string, RunOutcome>>,
): { ok: boolean; text: string } {
  const lines: string[] = [];
  const unconfirmed: string[] = [];
  let checked = 0;
  let bad = 0;
  for (const s of scenarios) {
    for (const p of pythons) {
      const j = judge(s, p.version, results.get(s.id)?.get(p.version));
      if (j.status === 'not-applicable') continue;
      if (j.status === 'unsupported') {
        unconfirmed.push(`${s.id} on ${p.full} (${j.detail[0]})`);
        continue;
      }
      checked++;
      if (j.status === 'pass') continue;
      bad++;
      lines.push(`${j.status === 'fail' ? 'FAIL ' : 'ERROR'} ${s.id} on CPython ${p.full}`);
      for (const d of j.detail) lines.push(`      ${d}`);
    }
  }
  const unavailable = new Set<string>();
  const have = new Set(pythons.map((p) => p.version));
  for (const s of scenarios) {
    for (const v of KNOWN_PYTHONS) {
      if (matches(s.python, v) && !have.has(v)) unavailable.add(v);
    }
  }
  lines.push(
    `${bad === 0 ? 'ok' : 'NOT OK'}: ${checked - bad}/${checked} (scenario, CPython) pairs agree; ` +
      `${scenarios.length} scenario(s) on ${pythons.map((p) => p.full).join(', ')}` +
      (unavailable.size ? `; not checked (no interpreter): ${[...unavailable].join(', ')}` : '') +
      (unconfirmed.length ? `; ${unconfirmed.length} pair(s) not confirmed, the interpreter lacking a required capability` : ''),
  );
  if (unconfirmed.length) lines.unshift(...unconfirmed.map((u) => `unconfirmed  ${u}`));
  return { ok: bad === 0, text: lines.join('\n') };
}
