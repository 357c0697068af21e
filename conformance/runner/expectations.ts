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
import { LineCounter, isSeq, parseDocument } from 'yaml';
import { VersionRangeError, matches, parseRange, type VersionRange } from '../language/versions';
import type { Status, UnmatchedExpectation } from './types';

export interface KnownFailure {
  /** Scenario id or id glob. */
  pattern: string;
  reason: string;
  /** Python version range the entry holds for; all versions when absent. */
  python?: string;
}

export class ExpectationsError extends Error {
  constructor(file: string, detail: string, line?: number) {
    super(`${file}${line ? `:${line}` : ''}: ${detail}`);
    this.name = 'ExpectationsError';
  }
}

export class Expectations {
  private readonly matchers: ((id: string) => boolean)[];
  /** Each entry's range, parsed once (so a bad one is refused here, not mid-run). */
  private readonly ranges: (VersionRange | undefined)[];

  constructor(readonly entries: KnownFailure[], readonly file = '(inline)') {
    this.matchers = entries.map((e) => picomatch(e.pattern, { dot: true }));
    this.ranges = entries.map((e, k) => {
      try {
        return e.python === undefined ? undefined : parseRange(e.python);
      } catch (err) {
        if (err instanceof VersionRangeError) throw new ExpectationsError(file, `entry ${k + 1} (${e.pattern}): ${err.message}`);
        throw err;
      }
    });
  }

  static load(file: string): Expectations {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ExpectationsError(file, (err as Error).message);
    }
    // Parsed as a document, as the scenario loader does, so that errors can name a line.
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    if (doc.errors.length) {
      const e = doc.errors[0];
      throw new ExpectationsError(file, `YAML: ${e.message.split('\n')[0]}`, lineCounter.linePos(e.pos[0]).line);
    }
    const seq = isSeq(doc.contents) ? doc.contents : isSeq(doc.get('failures', true)) ? doc.get('failures', true) : undefined;
    const lines = isSeq(seq) ? seq.items.map((item) => {
      const start = (item as { range?: [number, number, number] }).range?.[0];
      return start === undefined ? undefined : lineCounter.linePos(start).line;
    }) : [];
    return new Expectations(parseEntries(doc.toJS(), file, lines), file);
  }

  /** The first entry listing scenario `id` for Python `python`. */
  lookup(id: string, python: string): KnownFailure | undefined {
    return this.entries.find((_, k) => this.matchers[k](id) && (!this.ranges[k] || matches(this.ranges[k]!, python)));
  }

  /** Entries that match no id in `ids` (the whole corpus, not a filtered selection). */
  unmatched(ids: readonly string[]): UnmatchedExpectation[] {
    return this.entries
      .filter((_, k) => !ids.some((id) => this.matchers[k](id)))
      .map((e) => ({ pattern: e.pattern, reason: e.reason, ...(e.python ? { python: e.python } : {}) }));
  }
}

function parseEntries(doc: unknown, file: string, lines: (number | undefined)[]): KnownFailure[] {
  if (doc === null || doc === undefined) return [];
  const list = Array.isArray(doc) ? doc : (doc as { failures?: unknown }).failures;
  if (!Array.isArray(list)) throw new ExpectationsError(file, 'expected a list of {id, reason, python?} entries (or {failures: [...]})');
  return list.map((raw, k) => {
    const bad = (detail: string) => new ExpectationsError(file, detail, lines[k]);
    const e = raw as Record<string, unknown>;
    const pattern = e?.id ?? e?.glob;
    if (typeof pattern !== 'string' || !pattern) throw bad(`entry ${k + 1}: needs an "id" (scenario id or glob)`);
    if (typeof e.reason !== 'string' || !e.reason.trim()) throw bad(`entry ${k + 1} (${pattern}): needs a "reason"`);
    if (e.python !== undefined && typeof e.python !== 'string') throw bad(`entry ${k + 1} (${pattern}): "python" must be a version range string`);
    if (typeof e.python === 'string') {
      try {
        parseRange(e.python);
      } catch (err) {
        if (err instanceof VersionRangeError) throw bad(`entry ${k + 1} (${pattern}): ${err.message}`);
        throw err;
      }
    }
    const unknown = Object.keys(e).filter((key) => !['id', 'glob', 'reason', 'python'].includes(key));
    if (unknown.length) throw bad(`entry ${k + 1} (${pattern}): unknown key(s) ${unknown.join(', ')}`);
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
