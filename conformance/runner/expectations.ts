/**
 * Known failures of one implementation: a YAML file listing scenarios that
 * are expected to fail there, each with a reason.
 *
 * ```yaml
 * - id: wait.coroutine-argument-deprecated      # an id, or a glob (picomatch)
 *   reason: MicroPython's wait() accepts only tasks
 * - id: "threads.*"
 *   reason: no threads in Pyodide
 *   python: ">=3.12"                             # optional: only for these versions
 * ```
 *
 * A listed scenario that fails (or errors) is reported `expected-failure`;
 * one that passes is `unexpected-pass`, so that the file never goes stale
 * silently. An entry that matches no scenario of the corpus is reported too.
 */
import * as fs from 'fs';
import picomatch from 'picomatch';
import YAML from 'yaml';
import type { Status, UnmatchedExpectation } from './types';
import { versionMatches } from './deps';

export interface KnownFailure {
  /** Scenario id or id glob. */
  pattern: string;
  reason: string;
  /** Python version range the entry holds for; all versions when absent. */
  python?: string;
}

export class ExpectationsError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'ExpectationsError';
  }
}

export class Expectations {
  private readonly matchers: ((id: string) => boolean)[];

  constructor(readonly entries: KnownFailure[], readonly file = '(inline)') {
    this.matchers = entries.map((e) => picomatch(e.pattern, { dot: true }));
  }

  static load(file: string): Expectations {
    let doc: unknown;
    try {
      doc = YAML.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ExpectationsError(file, (err as Error).message);
    }
    return new Expectations(parseEntries(doc, file), file);
  }

  /** The first entry listing scenario `id` for Python `python`. */
  lookup(id: string, python: string): KnownFailure | undefined {
    return this.entries.find((e, k) => this.matchers[k](id) && (!e.python || versionMatches(rangeOf(e.python), python)));
  }

  /** Entries that match no id in `ids` (the whole corpus, not a filtered selection). */
  unmatched(ids: readonly string[]): UnmatchedExpectation[] {
    return this.entries
      .filter((_, k) => !ids.some((id) => this.matchers[k](id)))
      .map((e) => ({ pattern: e.pattern, reason: e.reason, ...(e.python ? { python: e.python } : {}) }));
  }
}

/** A bare version ("3.12") in an entry means that version. */
function rangeOf(python: string): string {
  return /^\d+(\.\d+)*$/.test(python.trim()) ? `==${python.trim()}` : python;
}

function parseEntries(doc: unknown, file: string): KnownFailure[] {
  if (doc === null || doc === undefined) return [];
  const list = Array.isArray(doc) ? doc : (doc as { failures?: unknown }).failures;
  if (!Array.isArray(list)) throw new ExpectationsError(file, 'expected a list of {id, reason, python?} entries (or {failures: [...]})');
  return list.map((raw, k) => {
    const e = raw as Record<string, unknown>;
    const pattern = e?.id ?? e?.glob;
    if (typeof pattern !== 'string' || !pattern) throw new ExpectationsError(file, `entry ${k + 1}: needs an "id" (scenario id or glob)`);
    if (typeof e.reason !== 'string' || !e.reason.trim()) throw new ExpectationsError(file, `entry ${k + 1} (${pattern}): needs a "reason"`);
    if (e.python !== undefined && typeof e.python !== 'string') throw new ExpectationsError(file, `entry ${k + 1} (${pattern}): "python" must be a version range string`);
    const unknown = Object.keys(e).filter((key) => !['id', 'glob', 'reason', 'python'].includes(key));
    if (unknown.length) throw new ExpectationsError(file, `entry ${k + 1} (${pattern}): unknown key(s) ${unknown.join(', ')}`);
    return { pattern, reason: e.reason, ...(e.python ? { python: e.python as string } : {}) };
  });
}

/** The status after consulting the known failures: a listed failure is expected, a listed pass is not. */
export function applyKnownFailure(status: Status, entry: KnownFailure | undefined): { status: Status; reason?: string } {
  if (!entry) return { status };
  if (status === 'failed' || status === 'errored') return { status: 'expected-failure', reason: entry.reason };
  if (status === 'passed') return { status: 'unexpected-pass', reason: `listed as a known failure (${entry.reason}) but passed` };
  return { status };
}
