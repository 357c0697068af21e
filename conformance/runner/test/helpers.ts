/** Shared by the runner's tests: the fixture corpus and fixture implementations. */
import * as path from 'path';
import type { ProcessAdapterOptions } from '../../adapters/process';
import { loadCorpus, type Corpus } from '../corpus';
import { ROOT } from '../deps';

export const FIXTURE_SCENARIOS = path.join(ROOT, 'fixtures', 'adapters', 'scenarios');

let corpus: Corpus | undefined;
/** Six harness.* scenarios the echo fixture answers (see their YAML). */
export function fixtureCorpus(): Corpus {
  return (corpus ??= loadCorpus([FIXTURE_SCENARIOS]));
}

export function fixtureScenario(id: string) {
  const s = fixtureCorpus().scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`no fixture scenario ${id}`);
  return s;
}

/** Process options for fixtures/adapters/<name>.js. */
export function fixtureProcess(name: string, ...args: string[]): ProcessAdapterOptions {
  return { command: process.execPath, args: [path.join(ROOT, 'fixtures', 'adapters', `${name}.js`), ...args] };
}
