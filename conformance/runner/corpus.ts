/**
 * The corpus: every scenario under conformance/scenarios/ (or given paths),
 * loaded by the language's loader, checked for duplicate ids, sorted by id.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Scenario } from '../language/ast';
import { ROOT, formatLoadError, loadScenarioFile } from './deps';
import { sortById } from './filter';

export const DEFAULT_SCENARIO_DIR = path.join(ROOT, 'conformance', 'scenarios');

export interface Corpus {
  /** Sorted by id. */
  scenarios: Scenario[];
  /** Scenario id → its file, relative to the project root. */
  files: Map<string, string>;
  /** Load problems, one line each (`file:line: message`). A corpus with errors must not be run as if complete. */
  errors: string[];
}

/** Every `.yaml`/`.yml` file under the given files and directories, sorted. */
export function scenarioFiles(paths: string[] = [DEFAULT_SCENARIO_DIR]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else if (/\.ya?ml$/.test(p)) out.push(p);
  };
  for (const p of paths) walk(path.resolve(p));
  return out;
}

export function loadCorpus(paths?: string[]): Corpus {
  const files = new Map<string, string>();
  const errors: string[] = [];
  const scenarios: Scenario[] = [];
  let list: string[];
  try {
    list = scenarioFiles(paths);
  } catch (err) {
    return { scenarios, files, errors: [(err as Error).message] };
  }
  for (const file of list) {
    const rel = path.relative(ROOT, file) || file;
    const loaded = loadScenarioFile(file);
    for (const e of loaded.errors) errors.push(formatLoadError(e, rel));
    for (const s of loaded.scenarios) {
      const other = files.get(s.id);
      if (other) {
        errors.push(`${rel}: duplicate scenario id ${s.id} (also in ${other})`);
        continue;
      }
      files.set(s.id, rel);
      scenarios.push(s);
    }
  }
  return { scenarios: sortById(scenarios), files, errors };
}
