/**
 * Which scenarios a run looks at, and which of those apply to a given
 * implementation and Python version.
 *
 * Selection (`select`) drops scenarios from the run altogether: id globs,
 * covered behaviours, tags, and a shard. Applicability (`applicability`)
 * keeps a scenario in the report but says why it does not run:
 * `not-applicable` (its Python range excludes the version) or `unsupported`
 * (it requires a capability the implementation does not declare).
 */
import picomatch from 'picomatch';
import type { Scenario } from '../language/ast';
import { versionMatches } from './deps';
import { UsageError } from './types';

export interface Selection {
  /** Id globs (picomatch); a scenario matching any is kept. */
  filter?: string[];
  /** Behaviour id globs; a scenario covering any matching behaviour is kept. */
  covers?: string[];
  /** Tags; a scenario carrying any is kept. */
  tags?: string[];
  /** `{index, count}`: keep every count-th scenario starting at index (0-based), after sorting. */
  shard?: Shard;
}

export interface Shard { index: number; count: number }

/** Parses `i/n` (1-based: `1/4` … `4/4`). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || i < 1 || i > n) throw new UsageError(`--shard wants i/n with 1 <= i <= n, got ${JSON.stringify(text)}`);
  return { index: i - 1, count: n };
}

/** Splits repeatable, comma-separated option values: ['a,b', 'c'] → ['a', 'b', 'c']. */
export function splitList(values: string | string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const out = (Array.isArray(values) ? values : [values]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return out.length ? out : undefined;
}

function anyGlob(globs: string[] | undefined): ((s: string) => boolean) | undefined {
  if (!globs || globs.length === 0) return undefined;
  const matchers = globs.map((g) => picomatch(g, { dot: true }));
  return (s) => matchers.some((m) => m(s));
}

/** Sorts by id (the run order is deterministic) and applies the selection. */
export function select<S extends Pick<Scenario, 'id' | 'covers' | 'tags'>>(scenarios: S[], sel: Selection = {}): S[] {
  return selectChecked(scenarios, sel).selected;
}

/**
 * Like `select`, and also names each pattern that matches nothing in
 * `scenarios` (`--filter gahter.*`, `--covers ...`, `--tag ...`): a typo
 * should not pass for an empty but successful run.
 */
export function selectChecked<S extends Pick<Scenario, 'id' | 'covers' | 'tags'>>(scenarios: S[], sel: Selection = {}): { selected: S[]; unmatched: string[] } {
  const byId = anyGlob(sel.filter);
  const byCovers = anyGlob(sel.covers);
  const tags = sel.tags && sel.tags.length ? new Set(sel.tags) : undefined;
  const kept = sortById(scenarios).filter((s) =>
    (!byId || byId(s.id)) &&
    (!byCovers || (s.covers ?? []).some(byCovers)) &&
    (!tags || (s.tags ?? []).some((t) => tags.has(t))));
  const shard = sel.shard;
  const unmatched = [
    ...(sel.filter ?? []).filter((g) => { const m = anyGlob([g])!; return !scenarios.some((s) => m(s.id)); }).map((g) => `--filter ${g}`),
    ...(sel.covers ?? []).filter((g) => { const m = anyGlob([g])!; return !scenarios.some((s) => (s.covers ?? []).some(m)); }).map((g) => `--covers ${g}`),
    ...(sel.tags ?? []).filter((t) => !scenarios.some((s) => (s.tags ?? []).includes(t))).map((t) => `--tag ${t}`),
  ];
  return { selected: shard ? kept.filter((_, k) => k % shard.count === shard.index) : kept, unmatched };
}

export function sortById<S extends { id: string }>(scenarios: S[]): S[] {
  return scenarios.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type Applicability =
  | { applies: true }
  | { applies: false; status: 'not-applicable' | 'unsupported'; reason: string };

/** Whether `scenario` runs on an implementation with `capabilities`, as Python `python`. */
export function applicability(scenario: Pick<Scenario, 'python' | 'requires'>, python: string, capabilities: readonly string[]): Applicability {
  if (!versionMatches(scenario.python, python)) {
    return { applies: false, status: 'not-applicable', reason: `holds for Python ${scenario.python}, not ${python}` };
  }
  const have = new Set(capabilities);
  const missing = (scenario.requires ?? []).filter((c) => !have.has(c));
  if (missing.length) {
    return { applies: false, status: 'unsupported', reason: `requires ${missing.join(', ')}, which the implementation does not declare` };
  }
  return { applies: true };
}
