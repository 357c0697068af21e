/**
 * `aiospec bless <ids or globs>`: write the expectations real CPython gives.
 *
 * CLI wiring (conformance/cli.ts): `export async function cmdBless(args:
 * string[]): Promise<number>`, where `args` are the words after `bless`:
 *   aiospec bless [ID|GLOB|FILE ...] [--python 3.11,3.12] [--dry-run] [--timeout MS] [--dir DIR]
 * (`--dry-run` prints the changes as a diff instead of writing them; `--dir`
 * reads scenarios from DIR instead of conformance/scenarios/.)
 * Exit 0: every selected scenario ran on every available interpreter of its
 * range that has the capabilities it requires; 1: some run failed (nothing is written for that version), or a
 * pattern matched no scenario; 2: bad usage or no interpreter at all.
 *
 * For each scenario, each available CPython of its `python` range runs it;
 * each result becomes an expectation (oracle/expectation.ts) and equal ones
 * merge into version ranges. A version with no interpreter here keeps
 * whatever the file expected for it before: bless never writes an
 * expectation for a version it did not run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createPatch } from 'diff';
import type { Expectation, ExpectationVariant, Scenario } from '../language/ast';
import { selectExpectation } from '../runner/compare';
import { loadCorpus, listFlag, parseArgs, selectScenarios, type ScenarioFile } from './corpus';
import { mergeAcrossVersions, observedExpectation, scenarioVersions, type PerVersion } from './expectation';
import { availablePythons, restrict, runOnPythons, type Interpreter, type RunOutcome } from './interpreters';
import { replaceExpect, type Expect } from './yaml-edit';
import { intersect, isSubset } from '../language/versions';

export interface BlessPlan {
  scenario: Scenario;
  /** The new `expect` (undefined: no version has an expectation). */
  expect: Expect | undefined;
  /** Versions run successfully, and those whose run failed (with why). */
  ran: string[];
  failed: { version: string; reason: string }[];
  /** Versions of the scenario's range with no interpreter here (their expectations were kept). */
  kept: string[];
  /**
   * Versions whose interpreter lacks a capability the scenario requires
   * (Pyodide has no threads): not run, so their expectations were kept. Not
   * a failure, as validate counts them unconfirmed rather than bad.
   */
  unsupported: { version: string; reason: string }[];
}

/** The scenario's new `expect` from its runs (version → outcome); versions not run keep their old expectation. */
export function planBless(scenario: Scenario, runs: Map<string, RunOutcome>): BlessPlan {
  const universe = scenarioVersions(scenario, runs.keys());
  const perVersion: PerVersion = new Map();
  const plan: BlessPlan = { scenario, expect: undefined, ran: [], failed: [], kept: [], unsupported: [] };
  for (const v of universe) {
    const old = existingFor(scenario, v);
    const run = runs.get(v);
    if (run?.ok) {
      perVersion.set(v, observedExpectation(run.result, old));
      plan.ran.push(v);
    } else {
      perVersion.set(v, old);
      if (run?.unsupported) plan.unsupported.push({ version: v, reason: run.reason });
      else if (run) plan.failed.push({ version: v, reason: run.reason });
      else plan.kept.push(v);
    }
  }
  plan.expect = keepRangeWording(scenario, mergeAcrossVersions(perVersion, universe));
  return plan;
}

/**
 * Writes a variant's range as the file already did when it means the same
 * versions within the scenario's range (`<3.11` rather than `>=3.7,<3.11`
 * under `python: ">=3.7"`), so that re-blessing does not reword ranges.
 */
function keepRangeWording(scenario: Scenario, expect: Expect | undefined): Expect | undefined {
  if (!Array.isArray(expect) || !Array.isArray(scenario.expect)) return expect;
  const within = (r: string) => intersect(r, scenario.python);
  const same = (a: string, b: string) => isSubset(within(a), within(b)) && isSubset(within(b), within(a));
  return expect.map((v) => {
    const old = (scenario.expect as ExpectationVariant[]).find((o) => same(o.python, v.python));
    return old && old.python !== v.python ? { ...v, python: old.python } : v;
  });
}

/** What the scenario expects for version `v` now, without the variant's `python` key. */
function existingFor(scenario: Scenario, v: string): Expectation | undefined {
  if (scenario.expect === undefined || scenario.expect === null) return undefined;
  const e = selectExpectation(scenario, v);
  if (!e) return undefined;
  const { python: _python, ...rest } = e as ExpectationVariant;
  return rest;
}

export async function cmdBless(args: string[]): Promise<number> {
  const { words, flags } = parseArgs(args, ['python', 'timeout', 'dir']);
  if (flags.has('help')) {
    console.log('usage: aiospec bless [ID|GLOB|FILE ...] [--python 3.11,3.12] [--dry-run] [--timeout MS] [--dir DIR]');
    return 0;
  }
  const corpus = loadCorpus(typeof flags.get('dir') === 'string' ? path.resolve(flags.get('dir') as string) : undefined);
  for (const e of corpus.errors) console.error(`load error: ${e}`);
  const { selected, unmatched } = selectScenarios(corpus.scenarios, words);
  for (const p of unmatched) console.error(`no scenario matches ${JSON.stringify(p)}`);
  if (selected.length === 0) {
    console.error('nothing to bless');
    return 2;
  }
  const discovered = await availablePythons();
  const pythons = restrict(discovered, listFlag(flags.get('python')));
  if (pythons.length === 0) {
    console.error('no CPython interpreter available (see `aiospec pythons`)');
    return 2;
  }
  console.log(`blessing ${selected.length} scenario(s) on CPython ${pythons.map((p) => p.full).join(', ')}`);
  const timeout = Number(flags.get('timeout') ?? 20_000);
  const results = await runOnPythons(selected.map((s) => s.scenario), pythons, { timeoutMs: timeout });
  const dryRun = flags.has('dry-run');
  // Files the loader refuses are reported above; they do not fail a bless of other scenarios.
  let bad = unmatched.length > 0;
  for (const sf of selected) {
    const plan = planBless(sf.scenario, results.get(sf.scenario.id)!);
    const changed = write(sf, plan, dryRun);
    console.log(describePlan(plan, changed, discovered));
    if (plan.failed.length) bad = true;
  }
  return bad ? 1 : 0;
}

/** Writes the plan into the scenario's file; whether the file changed. */
function write(sf: ScenarioFile, plan: BlessPlan, dryRun: boolean): boolean {
  const before = fs.readFileSync(sf.file, 'utf8');
  const after = replaceExpect(before, sf.scenario.id, plan.expect);
  if (after === before) return false;
  if (dryRun) process.stdout.write(createPatch(path.relative(process.cwd(), sf.file), before, after, '', '', { context: 2 }));
  else fs.writeFileSync(sf.file, after);
  return true;
}

function describePlan(plan: BlessPlan, changed: boolean, discovered: Interpreter[]): string {
  const lines = [`${changed ? 'updated  ' : 'unchanged'} ${plan.scenario.id}  (ran ${plan.ran.join(', ') || 'nothing'})`];
  for (const f of plan.failed) lines.push(`    ${f.version}: run failed, expectation kept: ${f.reason}`);
  for (const u of plan.unsupported) lines.push(`    ${u.version}: not run, expectation kept: ${u.reason}`);
  const available = new Set(discovered.map((p) => p.version));
  const unavailable = plan.kept.filter((v) => !available.has(v));
  const unselected = plan.kept.filter((v) => available.has(v));
  if (unavailable.length) lines.push(`    no interpreter for ${unavailable.join(', ')}: expectations left as they were`);
  if (unselected.length) lines.push(`    not selected (--python): ${unselected.join(', ')}: expectations left as they were`);
  return lines.join('\n');
}
