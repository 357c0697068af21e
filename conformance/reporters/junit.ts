/**
 * JUnit XML, for CI systems: one test suite per report (implementation and
 * Python version), one test case per scenario, classname = the scenario's
 * area. Failures carry the first divergence; errors their reason;
 * unsupported and not-applicable scenarios are skipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import junit from 'junit-report-builder';
import type { Report } from '../runner/types';
import { formatScenario } from './console';
import { reportStem } from './json';

export function toJUnit(reports: Report[]): string {
  const builder = junit.newBuilder();
  for (const report of reports) {
    const impl = report.implementation;
    const suite = builder.testSuite().name(`aiospec ${impl.name} ${impl.version} py${impl.python}`)
      .time(report.summary.duration_ms / 1000)
      .property('spec_version', report.spec_version)
      .property('python', impl.python);
    for (const r of report.scenarios) {
      const tc = suite.testCase()
        .className(`aiospec.py${r.python}.${r.id.split('.')[0]}`)
        .name(`${r.id}: ${r.title}`)
        .time(r.duration_ms / 1000);
      switch (r.status) {
        case 'failed':
        case 'unexpected-pass':
          tc.failure(r.divergence?.message ?? r.reason ?? r.status, r.status).stacktrace(formatScenario(r));
          break;
        case 'errored':
          tc.error(r.reason ?? 'errored', 'errored', formatScenario(r));
          break;
        case 'unsupported':
        case 'not-applicable':
          tc.skipped().standardOutput(`${r.status}: ${r.reason ?? ''}`);
          break;
        case 'expected-failure':
          tc.standardOutput(`expected failure: ${r.reason ?? ''}`);
          break;
        default:
          break;
      }
    }
  }
  return builder.build();
}

export function writeJUnitReport(reports: Report[], dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, reports.length === 1 ? `${reportStem(reports[0])}.junit.xml` : 'aiospec.junit.xml');
  fs.writeFileSync(file, toJUnit(reports));
  return file;
}
