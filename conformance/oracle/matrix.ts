/**
 * `aiospec matrix`: the version matrix, scenario × CPython version.
 *
 * CLI wiring (conformance/cli.ts): `export async function cmdMatrix(args:
 * string[]): Promise<number>`, where `args` are the words after `matrix`:
 *   aiospec matrix [ID|GLOB|FILE ...] [--python 3.11,3.12] [--out DIR] [--timeout MS] [--dir DIR]
 * Writes DIR/version-matrix.md and DIR/version-matrix.html (DIR defaults to
 * reports/). Each cell says pass / FAIL / ERROR / n/a (outside the scenario's
 * range) / not run (no interpreter); a Δ marks a version whose observed
 * behaviour differs from the previous available version's, and the report
 * lists each such change with its first difference. Exit 0 when every cell
 * run passes, 1 otherwise.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Scenario } from '../language/ast';
import { compare, selectExpectation } from '../runner/compare';
import { ROOT } from '../runner/deps';
import { KNOWN_PYTHONS, matches, sortVersions } from '../language/versions';
import { parseArgs } from './corpus';
import { observedExpectation, outcomeExpectation } from './expectation';
import { oracleRun, type Interpreter, type Results } from './interpreters';
import { judge, type Judgement } from './validate';

export type CellStatus = Judgement['status'] | 'not-run';

export interface MatrixRow {
  id: string;
  strictness: Scenario['strictness'];
  cells: Record<string, { status: CellStatus; changed: boolean; detail?: string }>;
  /** Behaviour changes between consecutive available versions of the scenario's range. */
  changes: { from: string; to: string; difference: string }[];
}

export interface Matrix {
  versions: string[];
  pythons: Interpreter[];
  rows: MatrixRow[];
}

export function buildMatrix(scenarios: Scenario[], pythons: Interpreter[], results: Results): Matrix {
  const have = new Map(pythons.map((p) => [p.version, p]));
  const versions = sortVersions(new Set([...KNOWN_PYTHONS, ...have.keys()]));
  const rows = scenarios.map((s) => {
    const runs = results.get(s.id) ?? new Map();
    const row: MatrixRow = { id: s.id, strictness: s.strictness, cells: {}, changes: [] };
    let previous: string | undefined;
    for (const v of versions) {
      if (!matches(s.python, v)) {
        row.cells[v] = { status: 'not-applicable', changed: false };
        continue;
      }
      if (!have.has(v)) {
        row.cells[v] = { status: 'not-run', changed: false };
        continue;
      }
      const run = runs.get(v);
      const j = judge(s, v, run);
      const cell: MatrixRow['cells'][string] = { status: j.status, changed: false };
      if (j.status === 'fail' || j.status === 'error') cell.detail = j.detail[0];
      const prevRun = previous !== undefined ? runs.get(previous) : undefined;
      if (run?.ok && prevRun?.ok) {
        // The earlier run, worded with the scenario's own expectation where it fits, so that
        // events in an `unordered` group (an order CPython does not fix) are not a change.
        const before = { ...observedExpectation(prevRun.result, selectExpectation(s, previous!)), outcome: outcomeExpectation(prevRun.result.outcome) };
        const verdict = compare(run.result, before);
        if (!verdict.pass) {
          cell.changed = true;
          row.changes.push({ from: previous!, to: v, difference: verdict.divergence!.message });
        }
      }
      row.cells[v] = cell;
      previous = v;
    }
    return row;
  });
  return { versions, pythons, rows };
}

const SYMBOL: Record<CellStatus, string> = {
  pass: 'pass',
  fail: 'FAIL',
  error: 'ERROR',
  unsupported: 'unconfirmed',
  'not-applicable': 'n/a',
  'not-run': 'not run',
};

export function matrixMarkdown(m: Matrix, generatedAt = new Date().toISOString()): string {
  const lines = [
    '# aiospec version matrix',
    '',
    `Generated ${generatedAt} on CPython ${m.pythons.map((p) => p.full).join(', ')}.`,
    '',
    '`pass` / `FAIL` / `ERROR`: the scenario against its expectation for that version; `n/a`: outside the scenario\'s',
    '`python` range; `not run`: no interpreter here; `Δ`: the observed behaviour differs from the previous version run.',
    '',
    `| scenario | ${m.versions.join(' | ')} |`,
    `| --- | ${m.versions.map(() => ':---:').join(' | ')} |`,
  ];
  for (const r of m.rows) {
    const cells = m.versions.map((v) => `${SYMBOL[r.cells[v].status]}${r.cells[v].changed ? ' Δ' : ''}`);
    lines.push(`| \`${r.id}\`${r.strictness === 'cpython-detail' ? ' (detail)' : ''} | ${cells.join(' | ')} |`);
  }
  const changes = m.rows.filter((r) => r.changes.length);
  lines.push('', '## Behaviour changes between versions', '');
  if (changes.length === 0) lines.push('None observed.');
  for (const r of changes) {
    for (const c of r.changes) lines.push(`- \`${r.id}\`, ${c.from} → ${c.to}: ${escapeMd(c.difference)}`);
  }
  const failures = m.rows.flatMap((r) =>
    m.versions.filter((v) => r.cells[v].detail).map((v) => `- \`${r.id}\` on ${v}: ${escapeMd(r.cells[v].detail!)}`),
  );
  if (failures.length) lines.push('', '## Failures', '', ...failures);
  return lines.join('\n') + '\n';
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function matrixHtml(m: Matrix, generatedAt = new Date().toISOString()): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const head = m.versions.map((v) => `<th>${esc(v)}</th>`).join('');
  const body = m.rows
    .map((r) => {
      const cells = m.versions
        .map((v) => {
          const c = r.cells[v];
          const title = [c.detail, c.changed ? r.changes.find((x) => x.to === v)?.difference : undefined].filter(Boolean).join('\n');
          return `<td class="${c.status}${c.changed ? ' changed' : ''}"${title ? ` title="${esc(title)}"` : ''}>${esc(SYMBOL[c.status])}${c.changed ? ' Δ' : ''}</td>`;
        })
        .join('');
      return `<tr><th scope="row"><code>${esc(r.id)}</code>${r.strictness === 'cpython-detail' ? ' <small>detail</small>' : ''}</th>${cells}</tr>`;
    })
    .join('\n');
  const changes = m.rows
    .flatMap((r) => r.changes.map((c) => `<li><code>${esc(r.id)}</code>, ${esc(c.from)} → ${esc(c.to)}: ${esc(c.difference)}</li>`))
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aiospec version matrix</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:center}th[scope=row]{text-align:left;font-weight:normal}
.pass{background:#dfd}.fail{background:#fbb}.error{background:#fdb}.not-applicable{color:#999}.not-run{color:#999;background:#f4f4f4}
.changed{outline:2px solid #36c;outline-offset:-2px}
</style></head><body>
<h1>aiospec version matrix</h1>
<p>Generated ${esc(generatedAt)} on CPython ${esc(m.pythons.map((p) => p.full).join(', '))}. A blue frame and Δ mark a version whose observed behaviour differs from the previous version run.</p>
<table><thead><tr><th>scenario</th>${head}</tr></thead><tbody>
${body}
</tbody></table>
<h2>Behaviour changes between versions</h2>
<ul>
${changes || '<li>None observed.</li>'}
</ul>
</body></html>
`;
}

export async function cmdMatrix(args: string[]): Promise<number> {
  const run = await oracleRun(args, 'usage: aiospec matrix [ID|GLOB|FILE ...] [--python 3.11,3.12] [--out DIR] [--timeout MS] [--dir DIR]');
  if (typeof run === 'number') return run;
  const { scenarios, pythons, results } = run;
  const flags = parseArgs(args, ['python', 'timeout', 'dir', 'out']).flags;
  const m = buildMatrix(scenarios, pythons, results);
  const out = typeof flags.get('out') === 'string' ? path.resolve(flags.get('out') as string) : path.join(ROOT, 'reports');
  fs.mkdirSync(out, { recursive: true });
  const at = new Date().toISOString();
  fs.writeFileSync(path.join(out, 'version-matrix.md'), matrixMarkdown(m, at));
  fs.writeFileSync(path.join(out, 'version-matrix.html'), matrixHtml(m, at));
  const bad = m.rows.some((r) => Object.values(r.cells).some((c) => c.status === 'fail' || c.status === 'error'));
  console.log(`wrote ${path.relative(process.cwd(), path.join(out, 'version-matrix.md'))} and .html: ` +
    `${m.rows.length} scenario(s) × ${pythons.length} CPython version(s), ${m.rows.reduce((n, r) => n + r.changes.length, 0)} behaviour change(s)`);
  return bad ? 1 : 0;
}
