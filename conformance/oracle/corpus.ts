/**
 * The scenarios the oracle commands work on: every file under
 * conformance/scenarios/ (or the directory given), loaded by the scenario
 * loader, selected by ids, id globs (`gather.*`) or file paths.
 */
import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import type { Scenario } from '../language/ast';
import { ROOT, formatLoadError, loadScenarioFile } from '../runner/deps';

export interface ScenarioFile {
  scenario: Scenario;
  /** Absolute path of the YAML file it came from. */
  file: string;
}

export const SCENARIO_DIR = path.join(ROOT, 'conformance', 'scenarios');

export function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  if (fs.statSync(dir).isFile()) return [dir];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((d) => {
      const p = path.join(dir, d.name);
      return d.isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(d.name) ? [p] : [];
    });
}

/** Loads every scenario under `dir`; load errors are collected, not thrown. */
export function loadCorpus(dir = SCENARIO_DIR): { scenarios: ScenarioFile[]; errors: string[] } {
  const scenarios: ScenarioFile[] = [];
  const errors: string[] = [];
  for (const file of yamlFiles(dir)) {
    const loaded = loadScenarioFile(file);
    for (const e of loaded.errors) errors.push(formatLoadError(e, path.relative(process.cwd(), file)));
    for (const scenario of loaded.scenarios) scenarios.push({ scenario, file });
  }
  return { scenarios, errors };
}

/**
 * The scenarios matching any of `patterns`: an exact id, an id glob
 * (`wait-for.*`), or a path to a scenario file or directory. No patterns:
 * all of them. Patterns matching nothing are returned in `unmatched`.
 */
export function selectScenarios(all: ScenarioFile[], patterns: string[]): { selected: ScenarioFile[]; unmatched: string[] } {
  if (patterns.length === 0) return { selected: all, unmatched: [] };
  const chosen = new Set<ScenarioFile>();
  const unmatched: string[] = [];
  for (const p of patterns) {
    const abs = path.resolve(p);
    const isPath = fs.existsSync(abs);
    const glob = picomatch(p);
    const hits = all.filter((s) =>
      isPath ? s.file === abs || s.file.startsWith(abs + path.sep) : s.scenario.id === p || glob(s.scenario.id),
    );
    if (hits.length === 0) unmatched.push(p);
    hits.forEach((h) => chosen.add(h));
  }
  return { selected: all.filter((s) => chosen.has(s)), unmatched };
}

/** Splits `args` into positional words and `--flag [value]` options (`--flag=value` too). */
export function parseArgs(args: string[], valued: string[]): { words: string[]; flags: Map<string, string | true> } {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      words.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (eq > 0) flags.set(name, a.slice(eq + 1));
    else if (valued.includes(name) && i + 1 < args.length) flags.set(name, args[++i]);
    else flags.set(name, true);
  }
  return { words, flags };
}

/** A comma-separated option as a list (`--python 3.11,3.12`). */
export function listFlag(v: string | true | undefined): string[] | undefined {
  if (v === undefined || v === true) return undefined;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}
