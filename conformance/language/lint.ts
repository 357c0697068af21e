/**
 * Corpus checks: what no single file can tell.
 *
 * Errors (the corpus is wrong): a file that does not load; an id used twice;
 * `covers` naming an ID the catalogue lacks; an expectation variant whose
 * range reaches outside the scenario's, or overlaps another variant; a
 * scenario range that holds no version at all.
 *
 * Warnings (worth a look, not wrong): a scenario that covers nothing; known
 * Python versions of a scenario's range that no variant expects anything
 * for (the scenario is not applicable there); a range that holds none of
 * KNOWN_PYTHONS; catalogue entries that no scenario covers.
 */
import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import type { Scenario } from './ast';
import { type Catalogue, type CatalogueEntry, defaultCatalogueFile, loadCatalogue } from './catalogue';
import { type ScenarioError, formatError, loadScenarioFile, sourceMapOf } from './loader';
import { didYouMean } from './schema';
import { KNOWN_PYTHONS, intersect, isEmpty, isSubset, overlaps, versionsIn } from './versions';

export interface LintOptions {
  /** The catalogue file, an already loaded catalogue, or null to skip `covers` checks. Default spec/catalogue.yaml. */
  catalogue?: string | Catalogue | null;
  /** Warn about catalogue entries no linted scenario covers (meaningful for the whole corpus only). Default true. */
  uncovered?: boolean;
}

export interface LintResult {
  /** Scenario files checked, in the order found. */
  files: string[];
  /** Scenarios that loaded. */
  scenarios: number;
  errors: ScenarioError[];
  warnings: ScenarioError[];
  /** Catalogue entries no scenario covers (each also has a warning); empty without a catalogue. */
  uncovered: CatalogueEntry[];
  /** Catalogue size, 0 without a catalogue. */
  catalogueEntries: number;
}

/** Checks every scenario file under `paths` (files, directories searched for *.yaml/*.yml, or glob patterns). */
export function lint(paths: string[], options: LintOptions = {}): LintResult {
  const files = findScenarioFiles(paths);
  const result: LintResult = { files, scenarios: 0, errors: [], warnings: [], uncovered: [], catalogueEntries: 0 };
  const catalogue = openCatalogue(options.catalogue, result);

  const firstSeen = new Map<string, string>(); // id → "file:line:col"
  const covered = new Set<string>();
  for (const file of files) {
    const loaded = loadScenarioFile(file);
    result.errors.push(...loaded.errors);
    for (const scenario of loaded.scenarios) {
      result.scenarios++;
      const where = (p: ReadonlyArray<string | number>, key = false) => {
        const pos = sourceMapOf(scenario)?.position(p, { key }) ?? { line: 1, column: 1 };
        return { file, ...pos, id: scenario.id };
      };
      const error = (p: ReadonlyArray<string | number>, message: string) => result.errors.push({ ...where(p), message });
      const warn = (p: ReadonlyArray<string | number>, message: string) => result.warnings.push({ ...where(p), message });

      const idAt = where(['id']);
      const prior = firstSeen.get(scenario.id);
      if (prior) error(['id'], `duplicate id \`${scenario.id}\`; first used at ${prior}`);
      else firstSeen.set(scenario.id, `${idAt.file}:${idAt.line}:${idAt.column}`);

      checkCovers(scenario, catalogue, covered, error, warn);
      checkVersions(scenario, error, warn);
    }
  }

  if (catalogue) {
    result.catalogueEntries = catalogue.entries.length;
    for (const entry of catalogue.entries) {
      if (covered.has(entry.id)) continue;
      result.uncovered.push(entry);
      if (options.uncovered === false) continue;
      const pos = catalogue.positions.get(entry.id) ?? { line: 1, column: 1 };
      result.warnings.push({ file: catalogue.file, ...pos, id: entry.id, message: 'no scenario covers this behaviour' });
    }
  }
  return result;
}

function openCatalogue(option: LintOptions['catalogue'], result: LintResult): Catalogue | undefined {
  if (option === null) return undefined;
  if (option && typeof option === 'object') {
    result.errors.push(...option.errors);
    return option;
  }
  const file = option ?? defaultCatalogueFile();
  if (!fs.existsSync(file)) {
    result.warnings.push({ file, line: 1, column: 1, message: 'no catalogue file; `covers` is not checked' });
    return undefined;
  }
  const catalogue = loadCatalogue(file);
  result.errors.push(...catalogue.errors);
  return catalogue;
}

type Report = (path: ReadonlyArray<string | number>, message: string) => void;

function checkCovers(scenario: Scenario, catalogue: Catalogue | undefined, covered: Set<string>, error: Report, warn: Report): void {
  if (scenario.covers.length === 0) warn(['covers'], '`covers` is empty: the scenario gives evidence for no catalogue entry');
  const seen = new Set<string>();
  scenario.covers.forEach((id, i) => {
    if (seen.has(id)) warn(['covers', i], `\`${id}\` is listed twice in \`covers\``);
    seen.add(id);
    if (!catalogue) return;
    if (catalogue.byId.has(id)) covered.add(id);
    else error(['covers', i], `\`covers\` names \`${id}\`, which is not a catalogue ID${didYouMean(id, catalogue.byId.keys())}`);
  });
}

function checkVersions(scenario: Scenario, error: Report, warn: Report): void {
  if (isEmpty(scenario.python)) {
    error(['python'], `range \`${scenario.python}\` holds no Python version`);
    return;
  }
  const known = versionsIn(scenario.python);
  if (known.length === 0) warn(['python'], `range \`${scenario.python}\` holds none of the known versions ${KNOWN_PYTHONS.join(', ')}`);
  if (!Array.isArray(scenario.expect)) return;
  const variants = scenario.expect;
  variants.forEach((variant, i) => {
    if (isEmpty(variant.python)) error(['expect', i, 'python'], `variant range \`${variant.python}\` holds no Python version`);
    else if (!isSubset(variant.python, scenario.python)) {
      const inside = intersect(variant.python, scenario.python);
      const fix = isEmpty(inside) ? '' : ` (within it, write \`${inside}\`)`;
      error(['expect', i, 'python'], `variant range \`${variant.python}\` reaches outside the scenario's range \`${scenario.python}\`${fix}`);
    }
    for (let j = 0; j < i; j++) {
      if (overlaps(variants[j].python, variant.python)) {
        const both = versionsIn(intersect(variants[j].python, variant.python));
        error(['expect', i, 'python'], `variant range \`${variant.python}\` overlaps variant ${j + 1} (\`${variants[j].python}\`)${both.length ? ` at ${both.join(', ')}` : ''}`);
      }
    }
  });
  const orphans = known.filter((v) => !variants.some((variant) => versionsIn(variant.python).includes(v)));
  if (orphans.length) warn(['expect'], `no variant holds ${orphans.join(', ')}: the scenario is not applicable there`);
}

// ---------------------------------------------------------------------------
// Finding files

const SCENARIO_FILE = /\.ya?ml$/;

/** Scenario files under `paths`: files as given, directories searched recursively, globs expanded; sorted within each. */
export function findScenarioFiles(paths: string[]): string[] {
  const out: string[] = [];
  const add = (f: string) => {
    if (!out.includes(f)) out.push(f);
  };
  for (const p of paths) {
    const scan = picomatch.scan(p);
    if (scan.isGlob) {
      const match = picomatch(p);
      for (const f of walk(scan.base || '.')) if (match(f) || match(path.normalize(f))) add(f);
    } else if (fs.existsSync(p) && fs.statSync(p).isDirectory()) {
      walk(p).filter((f) => SCENARIO_FILE.test(f)).forEach(add);
    } else {
      add(p);
    }
  }
  return out;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Output

/** The result as text: errors, then warnings, then a one-line summary. */
export function formatLintResult(r: LintResult, options: { warnings?: boolean } = {}): string {
  const lines = r.errors.map(formatError);
  if (options.warnings !== false) {
    lines.push(...r.warnings.map((w) => formatError({ ...w, message: `warning: ${w.message}` })));
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  let summary = `${plural(r.files.length, 'file')}, ${plural(r.scenarios, 'scenario')}: ${plural(r.errors.length, 'error')}, ${plural(r.warnings.length, 'warning')}`;
  if (r.catalogueEntries) summary += `; ${r.catalogueEntries - r.uncovered.length} of ${r.catalogueEntries} catalogue entries covered`;
  lines.push(summary);
  return lines.join('\n');
}
