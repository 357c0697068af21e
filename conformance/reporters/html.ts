/**
 * A self-contained HTML compliance matrix: one page, no external assets.
 * Rows are scenarios grouped by docs section (via their `covers` and
 * spec/catalogue.yaml), `documented` apart from `cpython-detail`; columns
 * are the reports (one per Python version or implementation). A cell's
 * tooltip and details give the first divergence or the reason.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Report, ScenarioReport, Status } from '../runner/types';
import { loadCatalogue, sectionsOf, type Catalogue } from './catalogue';
import { sectionRows } from './markdown';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const LABEL: Record<Status, string> = {
  'passed': 'pass', 'failed': 'FAIL', 'errored': 'ERROR', 'unsupported': 'unsupported',
  'not-applicable': 'n/a', 'expected-failure': 'xfail', 'unexpected-pass': 'XPASS',
};

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1em;color:#555}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.s{text-align:center;white-space:nowrap}
.passed{background:#d9f2d9}.failed,.errored,.unexpected-pass{background:#f8d0d0}.expected-failure{background:#f6e7c1}
.unsupported{background:#e8e8e8}.not-applicable{color:#999}
code,pre{font:12px ui-monospace,monospace}pre{margin:.3em 0;white-space:pre-wrap}
details summary{cursor:pointer}.muted{color:#777}`;

export function toHtml(reports: Report[], catalogue: Catalogue = loadCatalogue()): string {
  const cols = reports.map((r) => `${r.implementation.name} py${r.implementation.python}`);
  const head = `<tr><th>implementation</th><th>Python</th><th>total</th><th>passed</th><th>failed</th><th>errored</th><th>unsupported</th><th>n/a</th><th>xfail</th><th>xpass</th></tr>`;
  const summary = reports.map((r) => {
    const s = r.summary;
    return `<tr><td>${esc(`${r.implementation.name} ${r.implementation.version}`)}</td><td>${esc(r.implementation.python)}</td><td>${s.total}</td><td>${s.passed}</td><td>${s.failed}</td><td>${s.errored}</td><td>${s.unsupported}</td><td>${s.not_applicable}</td><td>${s.expected_failure}</td><td>${s.unexpected_pass}</td></tr>`;
  }).join('');

  // scenario id → its result in each report
  const byId = new Map<string, (ScenarioReport | undefined)[]>();
  reports.forEach((r, k) => {
    for (const s of r.scenarios) {
      if (!byId.has(s.id)) byId.set(s.id, reports.map(() => undefined));
      byId.get(s.id)![k] = s;
    }
  });
  const ids = [...byId.keys()].sort();
  const rows = sectionRows(reports, catalogue);
  const sections = [...new Set(rows.map((r) => r.section))];
  const body = sections.map((section) => {
    const parts = (['documented', 'cpython-detail'] as const).map((strictness) => {
      const row = rows.find((r) => r.section === section && r.strictness === strictness);
      const members = ids.filter((id) => {
        const any = byId.get(id)!.find(Boolean)!;
        return any.strictness === strictness && sectionsOf(any.covers, catalogue).includes(section);
      });
      if (!row || !members.length) return '';
      const totals = row.counts.map((c) => `<th>${c.passed}/${c.judged}</th>`).join('');
      const trs = members.map((id) => {
        const results = byId.get(id)!;
        const any = results.find(Boolean)!;
        const covers = any.covers.map((c) => `<code title="${esc(catalogue.behaviours.get(c)?.text ?? '')}">${esc(c)}</code>`).join(' ');
        return `<tr><td><code>${esc(id)}</code><br><span class="muted">${esc(any.title)}</span>${covers ? `<br>${covers}` : ''}</td>${results.map(cellHtml).join('')}</tr>`;
      }).join('');
      return `<h3>${strictness === 'documented' ? 'Documented' : 'CPython detail'}</h3><table><tr><th>scenario</th>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr><tr><th class="muted">conforming / judged</th>${totals}</tr>${trs}</table>`;
    }).join('');
    return `<h2>${esc(section)}</h2>${parts}`;
  }).join('\n');

  const first = reports[0];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>aiospec compliance</title><style>${STYLE}</style></head>
<body><h1>aiospec compliance matrix</h1>
<p class="muted">${first ? `spec_version ${esc(first.spec_version)}, aiospec ${esc(first.aiospec_version)}, generated ${esc(first.generated_at)}` : 'no reports'}</p>
<table>${head}${summary}</table>
${body}
</body></html>
`;
}

function cellHtml(r: ScenarioReport | undefined): string {
  if (!r) return '<td class="s muted">—</td>';
  const why = r.divergence?.message ?? r.reason ?? '';
  const detail = r.divergence?.context?.length || (why && r.status !== 'not-applicable' && r.status !== 'passed')
    ? `<details><summary>${LABEL[r.status]}</summary><pre>${esc([why, ...(r.divergence?.context ?? [])].filter(Boolean).join('\n'))}</pre></details>`
    : LABEL[r.status];
  return `<td class="s ${r.status}" title="${esc(why)}">${detail}</td>`;
}

export function writeHtmlReport(reports: Report[], dir: string, catalogue?: Catalogue): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'aiospec.html');
  fs.writeFileSync(file, toHtml(reports, catalogue));
  return file;
}
