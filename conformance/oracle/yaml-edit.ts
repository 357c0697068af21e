/**
 * Writing a scenario's `expect` back into its YAML file.
 *
 * The file goes through the `yaml` library's Document API, so everything
 * but the `expect` node keeps its comments, key order and scalar styles; and
 * inside `expect`, every part that did not change (a key of a single
 * expectation, a whole variant) is kept as the very node that was there,
 * comments included. New nodes follow the corpus's style: block sequences of
 * flow items, `[0, text]` for prints, `{at: 0, warning: ...}` for warnings.
 */
import { isDeepStrictEqual } from 'util';
import { Document, isMap, isScalar, isSeq, parseAllDocuments, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { Expectation, ExpectationVariant, OutcomeExpectation, TaskStateExpectation, TraceItem } from '../language/ast';

export type Expect = Expectation | ExpectationVariant[];

/** How documents are written back: no folding, `{a: 1}` flow maps, as the corpus is written. */
export const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

/**
 * `source` with the `expect` of the scenario `id` replaced by `expect`
 * (removed when undefined). Returns `source` itself when nothing changes.
 *
 * Only the text of the document's top-level `expect:` section changes: the
 * new section is the library's rendering of the edited document, spliced
 * into the original text, so every other byte of the file stays as it was.
 */
export function replaceExpect(source: string, id: string, expect: Expect | undefined): string {
  const docs = parseAllDocuments(source, { intAsBigInt: true });
  if (!Array.isArray(docs)) throw new Error('not a YAML stream');
  const doc = docs.find((d) => isMap(d.contents) && d.get('id') === id);
  if (!doc) throw new Error(`no scenario with id ${id} in this file`);
  const errors = doc.errors.map((e) => e.message);
  if (errors.length) throw new Error(`YAML errors: ${errors.join('; ')}`);
  const before = plain(doc.get('expect') === undefined ? undefined : (doc.get('expect', true) as Node).toJSON());
  if (isDeepStrictEqual(before, plain(expect))) return source;
  setExpect(doc, expect);
  const fresh = section(doc.toString(TO_STRING), 0, undefined);
  const replacement = fresh ? doc.toString(TO_STRING).slice(fresh[0], fresh[1]) : '';
  const [chunkStart, chunkEnd] = documentChunk(source, (doc.contents as Node).range?.[0] ?? 0);
  const old = section(source, chunkStart, chunkEnd);
  if (old) return source.slice(0, old[0]) + replacement + source.slice(old[1]);
  const at = chunkEnd ?? source.length;
  const sep = at > 0 && source[at - 1] !== '\n' ? '\n' : '';
  return source.slice(0, at) + sep + replacement + source.slice(at);
}

const TOP_LEVEL_EXPECT = /^expect[ \t]*:/;

/** Offsets of the lines of `text` from `from` to `to`, each with its text. */
function lines(text: string, from: number, to: number): { start: number; end: number; line: string }[] {
  const out: { start: number; end: number; line: string }[] = [];
  for (let start = from; start < to; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 || nl >= to ? to : nl + 1;
    out.push({ start, end, line: text.slice(start, end) });
    start = end;
  }
  return out;
}

/** The `expect:` section of a document: from its key line to the next top-level line (or the end). */
function section(text: string, from: number, to: number | undefined): [number, number] | undefined {
  const ls = lines(text, from, to ?? text.length);
  const k = ls.findIndex((l) => TOP_LEVEL_EXPECT.test(l.line));
  if (k < 0) return undefined;
  let j = k + 1;
  // Indented lines, blank lines and comments belong to the section until the next top-level line.
  while (j < ls.length && !/^[^\s#]/.test(ls[j].line)) j++;
  // Blank lines and column-0 comments just before the next key belong to that key.
  while (j > k + 1 && /^(\s*$|#)/.test(ls[j - 1].line) && j < ls.length) j--;
  return [ls[k].start, j < ls.length ? ls[j].start : (to ?? text.length)];
}

/** The document of the stream containing `offset`: from after the `---` line before it to the next `---`/`...` line. */
function documentChunk(source: string, offset: number): [number, number | undefined] {
  let start = 0;
  let end: number | undefined;
  for (const l of lines(source, 0, source.length)) {
    if (!/^(---|\.\.\.)(\s|$)/.test(l.line)) continue;
    if (l.start < offset) start = l.end;
    else if (end === undefined) end = l.start;
  }
  return [start, end];
}

function setExpect(doc: Document, expect: Expect | undefined): void {
  if (expect === undefined) {
    doc.delete('expect');
    return;
  }
  const old = doc.get('expect', true) as Node | undefined;
  if (isMap(old) && !Array.isArray(expect)) {
    patchMap(doc, old, expect);
    return;
  }
  if (isSeq(old) && Array.isArray(expect)) {
    const olds = old.items.filter(isMap);
    // A variant equal to an old one is that node; one with the same range is the old node, patched.
    const kept = expect.map(
      (variant) =>
        olds.find((n) => isDeepStrictEqual(plain(n.toJSON()), plain(variant))) ??
        olds.find((n) => n.get('python') === variant.python),
    );
    // New variants take over the trace items of the old variants that went away, keeping their wording.
    const pool = olds.filter((n) => !kept.includes(n)).flatMap((n) => {
      const trace = n.get('trace', true);
      return isSeq(trace) ? (trace.items as Node[]) : [];
    });
    const seq = new YAMLSeq();
    seq.commentBefore = old.commentBefore;
    seq.comment = old.comment;
    expect.forEach((variant, k) => {
      const node = kept[k];
      if (node && !isDeepStrictEqual(plain(node.toJSON()), plain(variant))) patchMap(doc, node, variant);
      seq.items.push(node ?? adoptItems(expectationNode(doc, variant), pool));
    });
    doc.set('expect', seq);
    return;
  }
  doc.set('expect', Array.isArray(expect) ? variantsNode(doc, expect) : expectationNode(doc, expect));
}

/** Replaces only the keys whose value changed, and drops keys that went away. */
function patchMap(doc: Document, map: YAMLMap, expectation: Expectation): void {
  const fresh = expectationNode(doc, expectation);
  for (const pair of fresh.items) {
    const key = keyOf(pair.key);
    const old = map.get(key, true) as Node | undefined;
    const want = (expectation as unknown as Record<string, unknown>)[key];
    if (old !== undefined && isDeepStrictEqual(plain(old.toJSON()), plain(want))) continue;
    map.set(key, key === 'trace' && isSeq(old) && isSeq(pair.value) ? reuseItems(old, pair.value) : pair.value);
  }
  for (const pair of [...map.items]) {
    const key = keyOf(pair.key);
    if (!(key in expectation)) map.delete(key);
  }
}

function keyOf(key: unknown): string {
  return String(isScalar(key) ? key.value : key);
}

/** `fresh` with each item that equals an item of `old` (in order) replaced by that very node. */
function reuseItems(old: YAMLSeq, fresh: YAMLSeq): YAMLSeq {
  let from = 0;
  fresh.items = fresh.items.map((item) => {
    const want = plain((item as Node).toJSON());
    for (let k = from; k < old.items.length; k++) {
      if (isDeepStrictEqual(plain((old.items[k] as Node).toJSON()), want)) {
        from = k + 1;
        return old.items[k];
      }
    }
    return item;
  });
  fresh.commentBefore = old.commentBefore;
  fresh.comment = old.comment;
  return fresh;
}

/** `variant` with each trace item equal to a node of `pool` replaced by that node (taken out of the pool). */
function adoptItems(variant: YAMLMap, pool: Node[]): YAMLMap {
  const trace = variant.get('trace', true);
  if (!isSeq(trace)) return variant;
  trace.items = trace.items.map((item) => {
    const want = plain((item as Node).toJSON());
    const k = pool.findIndex((n) => isDeepStrictEqual(plain(n.toJSON()), want));
    return k < 0 ? item : pool.splice(k, 1)[0];
  });
  return variant;
}

// ---------------------------------------------------------------------------
// New nodes, in the corpus's style

function variantsNode(doc: Document, variants: ExpectationVariant[]): YAMLSeq {
  const seq = new YAMLSeq();
  for (const v of variants) seq.items.push(expectationNode(doc, v));
  return seq;
}

export function expectationNode(doc: Document, e: Expectation | ExpectationVariant): YAMLMap {
  const map = new YAMLMap();
  if ('python' in e && typeof e.python === 'string') map.set('python', quoted(e.python));
  if (e.trace) {
    const seq = new YAMLSeq();
    for (const item of e.trace) seq.items.push(traceNode(doc, item));
    map.set('trace', seq);
  }
  if (e.outcome) map.set('outcome', outcomeNode(doc, e.outcome));
  if (e.tasks) {
    const tasks = new YAMLMap();
    for (const [name, state] of Object.entries(e.tasks)) tasks.set(name, taskNode(doc, state));
    map.set('tasks', tasks);
  }
  if (e.logs !== undefined) map.set('logs', e.logs);
  return map;
}

/** A trace item: `[t, "text"]`, `{at: t, warning: Category, message: "..."}`, or an `unordered:` group. */
function traceNode(doc: Document, item: TraceItem): Node {
  if (Array.isArray(item)) {
    const seq = flow(new YAMLSeq()) as YAMLSeq;
    seq.items.push(doc.createNode(item[0]), quoted(item[1]));
    return seq;
  }
  if ('unordered' in item) {
    const group = new YAMLSeq();
    for (const leaf of item.unordered) group.items.push(traceNode(doc, leaf));
    const map = new YAMLMap();
    map.set('unordered', group);
    return map;
  }
  const map = flow(new YAMLMap()) as YAMLMap;
  for (const [k, v] of Object.entries(item)) map.set(k, k === 'message' || k === 'match' ? quoted(String(v)) : v);
  return map;
}

function outcomeNode(doc: Document, o: OutcomeExpectation): Node {
  const map = flow(new YAMLMap()) as YAMLMap;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'returns' || k === 'message') map.set(k, quoted(String(v)));
    else if (k === 'args') map.set(k, argsNode(v as string[]));
    else map.set(k, v);
  }
  return map;
}

function argsNode(args: string[]): YAMLSeq {
  const seq = flow(new YAMLSeq()) as YAMLSeq;
  for (const a of args) seq.items.push(quoted(a));
  return seq;
}

function taskNode(doc: Document, state: TaskStateExpectation): Node {
  if (typeof state === 'string') return doc.createNode(state);
  const map = flow(new YAMLMap()) as YAMLMap;
  for (const [k, v] of Object.entries(state)) map.set(k, quoted(v));
  return map;
}

function flow<N extends Node>(node: N): N {
  (node as { flow?: boolean }).flow = true;
  return node;
}

function quoted(s: string): Scalar {
  const scalar = new Scalar(s);
  scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

/** A JSON-comparable copy: bigint times become numbers, undefined keys vanish. */
function plain(x: unknown): unknown {
  if (typeof x === 'bigint') return Number(x);
  if (Array.isArray(x)) return x.map(plain);
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  return x;
}
