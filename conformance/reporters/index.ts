/** Every report format, written together into one directory (reports/ by default). */
import type { Report } from '../runner/types';
import { loadCatalogue } from './catalogue';
import { writeHtmlReport } from './html';
import { writeJsonReport } from './json';
import { writeJUnitReport } from './junit';
import { writeMarkdownReport } from './markdown';

export { ConsoleReporter, formatReport, formatScenario } from './console';
export { toJson, validateReport, writeJsonReport } from './json';
export { toJUnit, writeJUnitReport } from './junit';
export { toMarkdown, writeMarkdownReport } from './markdown';
export { toHtml, writeHtmlReport } from './html';

/** Writes JSON (one file per report), JUnit XML, Markdown and HTML; returns the files written. */
export function writeReports(reports: Report[], dir: string): string[] {
  const catalogue = loadCatalogue();
  return [
    ...reports.map((r) => writeJsonReport(r, dir)),
    writeJUnitReport(reports, dir),
    writeMarkdownReport(reports, dir, catalogue),
    writeHtmlReport(reports, dir, catalogue),
  ];
}
