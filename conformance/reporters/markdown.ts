/**
 * A Markdown compliance summary (for PR comments and READMEs): totals per
 * report, a per-section table split by strictness, then the failures with
 * their first divergence.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BAD_STATUSES, type Report, type ScenarioReport, type Status } from '../runner/types';
import { loadCatalogue, sectionsOf, type Catalogue } from './catalogue';

const ICON: Record<Status, string> = {
  'passed': '✅', 'failed': '❌', 'errored': '💥', 'unsupported': '➖', 'not-applicable': '·',
  'expected-failure': '⚠️', 'unexpected-pass': '❗',
};

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function toMarkdown(reports: Report[], catalogue: Catalogue = loadCatalogue()): string {
  const out: string[] = ['# aiospec compliance', ''];
  const first = reports[0];
  if (first) out.push(`Judged under spec_version ${first.spec_version} (aiospec ${first.aiospec_version}).`, '');
  out.push('| implementation | Python | total | passed | failed | errored | unsupported | n/a | xfail | xpass |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const r of reports) {
    const s = r.summary;
    out.push(`| ${cell(`${r.implementation.name} ${r.implementation.version}`)} | ${r.implementation.python} | ${s.total} | ${s.passed} | ${s.failed} | ${s.errored} | ${s.unsupported} | ${s.not_applicable} | ${s.expected_failure} | ${s.unexpected_pass} |`);
  }
  out.push('', '## By docs section', '', '| section | strictness | ' + reports.map((r) => `py${r.implementation.python}`).join(' | ') + ' |',
    '|---|---|' + reports.map(() => '---|').join(''));
  for (const row of sectionRows(reports, catalogue)) {
    out.push(`| ${cell(row.section)} | ${row.strictness} | ${row.counts.map((c) => `${c.passed}/${c.judged}${c.bad ? ` (${c.bad} ✗)` : ''}`).join(' | ')} |`);
  }
  const bad = reports.flatMap((r) => r.scenarios.filter((s) => BAD_STATUSES.has(s.status)));
  if (bad.length) {
    out.push('', '## Failures', '');
    for (const s of bad) {
      out.push(`- ${ICON[s.status]} **${s.id}** (py${s.python}) ${cell(s.title)}`);
      const why = s.divergence?.message ?? s.reason;
      if (why) out.push(`  \`${why.replace(/`/g, "'")}\``);
    }
  }
  return out.join('\n') + '\n';
}

export interface SectionCount { passed: number; judged: number; bad: number }
export interface SectionRow { section: string; strictness: ScenarioReport['strictness']; counts: SectionCount[] }

/**
 * Per docs section and strictness, per report: scenarios that conform
 * (passed, unexpectedly passed) out of those judged (all but unsupported and
 * not applicable), and how many make the run fail.
 */
export function sectionRows(reports: Report[], catalogue: Catalogue): SectionRow[] {
  const rows = new Map<string, SectionRow>();
  const order = [...catalogue.sections];
  reports.forEach((report, k) => {
    for (const s of report.scenarios) {
      for (const section of sectionsOf(s.covers, catalogue)) {
        if (!order.includes(section)) order.push(section);
        const key = `${section}\u0000${s.strictness}`;
        let row = rows.get(key);
        if (!row) rows.set(key, (row = { section, strictness: s.strictness, counts: reports.map(() => ({ passed: 0, judged: 0, bad: 0 })) }));
        const c = row.counts[k];
        if (s.status === 'unsupported' || s.status === 'not-applicable') continue;
        c.judged++;
        if (s.status === 'passed' || s.status === 'unexpected-pass') c.passed++;
        if (BAD_STATUSES.has(s.status)) c.bad++;
      }
    }
  });
  const rank = (r: SectionRow) => order.indexOf(r.section) * 2 + (r.strictness === 'documented' ? 0 : 1);
  return [...rows.values()].sort((a, b) => rank(a) - rank(b));
}

export function writeMarkdownReport(reports: Report[], dir: string, catalogue?: Catalogue): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'aiospec.md');
  fs.writeFileSync(file, toMarkdown(reports, catalogue));
  return file;
}
