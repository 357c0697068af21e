/**
 * Python version ranges, as scenarios write them in `python:`.
 *
 * A range is `*` (every version) or comma-separated clauses that must all
 * hold: `>=3.7`, `>=3.8,<3.11`, `==3.10`, `!=3.12`, or a bare `3.9` (same as
 * `==3.9`). Versions are minor releases, `major.minor`; patch levels are not
 * part of the language (a CPython 3.11.7 is judged as `3.11`). Versions
 * compare numerically, so `3.10` > `3.9`.
 *
 * Set operations are exact over all versions, not only KNOWN_PYTHONS: a
 * range's membership can only change at the versions its clauses name, so
 * testing those versions and their neighbours decides every question.
 */

/** The Python versions aiospec knows: reference profiles and the oracle's range. */
export const KNOWN_PYTHONS: readonly string[] = ['3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];

export type Comparator = '>=' | '<=' | '>' | '<' | '==' | '!=';

/** `major.minor` as numbers. */
export type Version = readonly [number, number];

export interface Clause {
  op: Comparator;
  version: Version;
}

/** A parsed range: every clause must hold; no clauses means `*`. */
export interface VersionRange {
  text: string;
  clauses: Clause[];
}

export class VersionRangeError extends Error {
  constructor(readonly range: string, detail: string) {
    super(`bad version range ${JSON.stringify(range)}: ${detail}`);
    this.name = 'VersionRangeError';
  }
}

const CLAUSE = /^(>=|<=|==|!=|>|<)?\s*(\S+)$/;
const VERSION = /^(\d+)\.(\d+)$/;

// ---------------------------------------------------------------------------
// Parsing

/** Parses `text`, throwing a VersionRangeError that says what is wrong. */
export function parseRange(text: string): VersionRange {
  if (typeof text !== 'string') throw new VersionRangeError(String(text), 'a range is a string such as ">=3.8,<3.11"');
  const trimmed = text.trim();
  if (trimmed === '') throw new VersionRangeError(text, 'empty; write "*" for every version');
  if (trimmed === '*') return { text, clauses: [] };
  const clauses = trimmed.split(',').map((part) => parseClause(text, part.trim()));
  return { text, clauses };
}

/** Like parseRange, but returns the error message instead of throwing. */
export function checkRange(text: string): string | undefined {
  try {
    parseRange(text);
    return undefined;
  } catch (err) {
    if (err instanceof VersionRangeError) return err.message;
    throw err;
  }
}

function parseClause(range: string, part: string): Clause {
  if (part === '') throw new VersionRangeError(range, 'empty clause between commas');
  if (part === '*') throw new VersionRangeError(range, '"*" cannot be combined with other clauses');
  const m = CLAUSE.exec(part);
  if (!m) throw new VersionRangeError(range, `clause "${part}" is not an operator (>=, <=, >, <, ==, !=) followed by a version`);
  if (/^=[^=]|^=>|^=<|^~=/.test(part)) throw new VersionRangeError(range, `unknown operator in "${part}"; use one of >=, <=, >, <, ==, !=`);
  return { op: (m[1] ?? '==') as Comparator, version: parseVersion(m[2], range) };
}

/** Parses `"3.10"` into `[3, 10]`. */
export function parseVersion(text: string, range = text): Version {
  const m = VERSION.exec(text);
  if (!m) {
    if (/^\d+\.\d+\.\d+/.test(text)) {
      throw new VersionRangeError(range, `"${text}" has a patch level; versions are minor releases such as 3.10`);
    }
    throw new VersionRangeError(range, `"${text}" is not a version of the form major.minor (e.g. 3.10)`);
  }
  return [Number(m[1]), Number(m[2])];
}

// ---------------------------------------------------------------------------
// Membership

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1];
}

function holds(clause: Clause, v: Version): boolean {
  const c = compare(v, clause.version);
  switch (clause.op) {
    case '>=': return c >= 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '<': return c < 0;
    case '==': return c === 0;
    case '!=': return c !== 0;
  }
}

function contains(range: VersionRange, v: Version): boolean {
  return range.clauses.every((c) => holds(c, v));
}

function asRange(range: string | VersionRange): VersionRange {
  return typeof range === 'string' ? parseRange(range) : range;
}

/** Reads "3.10" or "3.10.13" (the patch level is ignored) as a version. */
function asVersion(version: string): Version {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?(?:[a-z].*)?$/.exec(version.trim());
  if (!m) throw new VersionRangeError(version, `"${version}" is not a Python version`);
  return [Number(m[1]), Number(m[2])];
}

/** Whether Python `version` ("3.10", or "3.10.13" judged as 3.10) lies in `range`. */
export function matches(range: string | VersionRange, version: string): boolean {
  return contains(asRange(range), asVersion(version));
}

/** The versions of `universe` (KNOWN_PYTHONS by default) that lie in `range`, in order. */
export function versionsIn(range: string | VersionRange, universe: readonly string[] = KNOWN_PYTHONS): string[] {
  const r = asRange(range);
  return universe.filter((v) => contains(r, asVersion(v)));
}

/**
 * Versions at which membership of any of `ranges` can change, plus their
 * neighbours: enough to decide emptiness, overlap and inclusion exactly.
 */
function probes(ranges: VersionRange[]): Version[] {
  const out: Version[] = [[0, 0], [3, 0], [99, 0]];
  for (const r of ranges) {
    for (const { version: [M, m] } of r.clauses) {
      out.push([M, m], [M, m + 1], [M, 9999], [M + 1, 0]);
      if (m > 0) out.push([M, m - 1]);
      else if (M > 0) out.push([M - 1, 9999]);
    }
  }
  return out;
}

/** True when no version at all lies in `range` (">=3.11,<3.8"). */
export function isEmpty(range: string | VersionRange): boolean {
  const r = asRange(range);
  return !probes([r]).some((v) => contains(r, v));
}

/** True when some version lies in both ranges. */
export function overlaps(a: string | VersionRange, b: string | VersionRange): boolean {
  const ra = asRange(a);
  const rb = asRange(b);
  return probes([ra, rb]).some((v) => contains(ra, v) && contains(rb, v));
}

/** True when every version in `inner` is also in `outer`. */
export function isSubset(inner: string | VersionRange, outer: string | VersionRange): boolean {
  const ri = asRange(inner);
  const ro = asRange(outer);
  return probes([ri, ro]).every((v) => !contains(ri, v) || contains(ro, v));
}

/** The range of versions in both `a` and `b`, simplified (`>=3.7` ∩ `<3.11` → `>=3.7,<3.11`). */
export function intersect(a: string | VersionRange, b: string | VersionRange): string {
  const joined: VersionRange = { text: '', clauses: [...asRange(a).clauses, ...asRange(b).clauses] };
  return simplify(joined);
}

/**
 * A canonical text for `range`: at most one lower bound (`>=`), one upper
 * bound (`<`), and the `!=` holes between them; `==X` for a single version.
 * An empty range is written `<0.0`.
 */
export function simplify(range: string | VersionRange): string {
  const r = asRange(range);
  if (isEmpty(r)) return '<0.0';
  if (r.clauses.length === 0) return '*';
  const pts = probes([r]).filter((v) => contains(r, v)).sort(compare);
  const lowest = pts[0];
  const bounded = r.clauses.some((c) => ['>=', '>', '=='].includes(c.op));
  const upperBounded = r.clauses.some((c) => ['<=', '<', '=='].includes(c.op));
  const lower = bounded ? lowest : undefined;
  const upper = upperBounded ? successor(pts[pts.length - 1]) : undefined;
  if (lower && upper && compare(successor(lower), upper) === 0) return `==${fmt(lower)}`;
  const parts: string[] = [];
  if (lower) parts.push(`>=${fmt(lower)}`);
  if (upper) parts.push(`<${fmt(upper)}`);
  const holes = r.clauses
    .filter((c) => c.op === '!=')
    .map((c) => c.version)
    .filter((v) => (!lower || compare(v, lower) > 0) && (!upper || compare(v, upper) < 0))
    .sort(compare);
  for (const h of holes) {
    const text = `!=${fmt(h)}`;
    if (!parts.includes(text)) parts.push(text);
  }
  return parts.join(',') || '*';
}

function successor([M, m]: Version): Version {
  return m >= 9999 ? [M + 1, 0] : [M, m + 1];
}

function fmt(v: Version): string {
  return `${v[0]}.${v[1]}`;
}

// ---------------------------------------------------------------------------
// For the bless tool

/**
 * The minimal list of ranges holding exactly `versions` among `universe`
 * (KNOWN_PYTHONS by default): one range per run of consecutive versions.
 * A run that reaches the newest version of the universe stays open
 * (`>=3.11`), so that newer releases are expected to behave as the newest
 * known one; a run of one version inside the universe is `==3.9`.
 *
 * `mergeVersions(['3.7','3.8','3.9','3.10'])` → `['>=3.7,<3.11']`;
 * `mergeVersions(['3.8','3.12','3.13','3.14'])` → `['==3.8', '>=3.12']`.
 */
export function mergeVersions(versions: Iterable<string>, universe: readonly string[] = KNOWN_PYTHONS): string[] {
  const wanted = new Set([...versions].map((v) => fmt(asVersion(v))));
  for (const v of wanted) {
    if (!universe.includes(v)) throw new VersionRangeError(v, `version ${v} is not among ${universe.join(', ')}`);
  }
  const ordered = [...universe].sort((a, b) => compare(asVersion(a), asVersion(b)));
  const out: string[] = [];
  for (let i = 0; i < ordered.length; ) {
    if (!wanted.has(ordered[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < ordered.length && wanted.has(ordered[j + 1])) j++;
    if (j === ordered.length - 1) out.push(`>=${ordered[i]}`);
    else if (i === j) out.push(`==${ordered[i]}`);
    else out.push(`>=${ordered[i]},<${ordered[j + 1]}`);
    i = j + 1;
  }
  return out;
}

/** Sorts version strings numerically ("3.9" before "3.10"). */
export function sortVersions(versions: Iterable<string>): string[] {
  return [...versions].sort((a, b) => compare(asVersion(a), asVersion(b)));
}
