/**
 * Scenario files → Scenario objects (ast.ts), with every problem reported as
 * `file:line:column: [id] message`.
 *
 * A file holds one scenario per YAML document (`---` separates them). Each
 * document goes through four gates, and a document that fails one yields no
 * scenario (the file's other documents still load):
 *
 * 1. YAML itself, strictly: no parse errors, no tabs as indentation, no
 *    duplicate keys, no unknown tags, no aliases (`*x`; refused outright,
 *    which also rules out alias bombs: nothing is ever expanded), only string
 *    keys. The whole file is refused above {@link MAX_FILE_BYTES}.
 * 2. The JSON Schema, spec/scenario.schema.json (schema.ts explains its
 *    errors in plain words).
 * 3. Checks a schema cannot express: `match` patterns compile; a name is not
 *    both a function and a coroutine.
 * 4. Conversion: in `program`, YAML integers become bigints (Python int) and
 *    YAML floats `{float: n}` (so `1.0` stays a float); elsewhere numbers stay
 *    numbers (times in expectations).
 *
 * Positions are kept aside, in a {@link SourceMap} per scenario (see
 * {@link sourceMapOf}), keyed by JSON pointer into the document.
 */
import { parseFString } from '../interpreter/fstring';
import * as fs from 'fs';
import {
  LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments,
  type Document, type Node as YamlNode, type YAMLError,
} from 'yaml';
import { NAME_KEYED, STATEMENTS, operatorOf, type Program, type Scenario } from './ast';
import { pointerSegments, toPointer, validateScenarioData } from './schema';

/** Files larger than this are refused unread: scenarios are small. */
export const MAX_FILE_BYTES = 1024 * 1024;

// ---------------------------------------------------------------------------
// Errors and positions

/** 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** A problem in a scenario file. */
export interface ScenarioError extends Position {
  file: string;
  /** The scenario's id, when the document has a string `id`. */
  id?: string;
  message: string;
}

/** `file:line:col: [id] message` (the `[id] ` part only when the id is known). */
export function formatError(e: ScenarioError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.id ? `[${e.id}] ` : ''}${e.message}`;
}

/** Thrown by {@link loadScenarioFileOrThrow}: carries every error of the file. */
export class ScenarioLoadError extends Error {
  constructor(readonly errors: ScenarioError[]) {
    super(errors.map(formatError).join('\n'));
    this.name = 'ScenarioLoadError';
  }
}

export { toPointer };

/** Where each value (and each mapping key) of one scenario document sits in its file. */
export class SourceMap {
  constructor(
    readonly file: string,
    private readonly values: Map<string, Position>,
    private readonly keys: Map<string, Position>,
  ) {}

  /**
   * Position of the value at `path` (a JSON pointer or path segments), or of
   * its key with `{key: true}`; falls back to the nearest ancestor that has
   * one, so any path inside the document gets a position.
   */
  position(path: string | ReadonlyArray<string | number>, options: { key?: boolean } = {}): Position {
    let segs = typeof path === 'string' ? pointerSegments(path) : path.map(String);
    if (options.key) {
      const k = this.keys.get(toPointer(segs));
      if (k) return k;
    }
    for (;;) {
      const p = this.values.get(toPointer(segs));
      if (p) return p;
      if (segs.length === 0) return { line: 1, column: 1 };
      segs = segs.slice(0, -1);
    }
  }
}

const sourceMaps = new WeakMap<Scenario, SourceMap>();

/** The source map of a scenario returned by this loader. */
export function sourceMapOf(scenario: Scenario): SourceMap | undefined {
  return sourceMaps.get(scenario);
}

export interface LoadResult {
  file: string;
  /** The scenarios of the documents that loaded, in file order. */
  scenarios: Scenario[];
  /** Every problem found, in file order. */
  errors: ScenarioError[];
}

// ---------------------------------------------------------------------------
// Entry points

/** Loads every scenario of a file. Never throws for a bad file: see `errors`. */
export function loadScenarioFile(file: string): LoadResult {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (err) {
    return failed(file, `cannot read the file: ${(err as Error).message}`);
  }
  if (size > MAX_FILE_BYTES) return tooLarge(file, size);
  return loadScenarioText(fs.readFileSync(file, 'utf8'), file);
}

/** Like loadScenarioFile, but throws a {@link ScenarioLoadError} when there is any error. */
export function loadScenarioFileOrThrow(file: string): Scenario[] {
  const result = loadScenarioFile(file);
  if (result.errors.length) throw new ScenarioLoadError(result.errors);
  return result.scenarios;
}

/** Loads the scenarios of `text`, naming `file` in errors. */
export function loadScenarioText(text: string, file: string): LoadResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) return tooLarge(file, bytes);
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    intAsBigInt: true,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    version: '1.2',
    schema: 'core',
  });
  const result: LoadResult = { file, scenarios: [], errors: [] };
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) loadDocument(doc, file, lineCounter, result);
  if (list.every(isEmptyDocument) && result.errors.length === 0) {
    result.errors.push({ file, line: 1, column: 1, message: 'the file holds no scenario' });
  }
  return result;
}

function failed(file: string, message: string): LoadResult {
  return { file, scenarios: [], errors: [{ file, line: 1, column: 1, message }] };
}

function tooLarge(file: string, bytes: number): LoadResult {
  const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return failed(file, `the file is ${mib(bytes)} (${bytes} bytes); scenario files are limited to ${mib(MAX_FILE_BYTES)}`);
}

// ---------------------------------------------------------------------------
// One document

function loadDocument(doc: Document.Parsed, file: string, lc: LineCounter, result: LoadResult): void {
  if (isEmptyDocument(doc)) return; // comments only
  const pos = (offset: number): Position => {
    const { line, col } = lc.linePos(offset);
    return { line, column: col };
  };
  const id = documentId(doc);
  const errors: ScenarioError[] = [];
  const report = (at: Position, message: string) => errors.push({ file, ...at, ...(id ? { id } : {}), message });

  // Only the first YAML error of a document: the rest are usually its echoes.
  const yamlProblem = doc.errors[0] ?? doc.warnings[0];
  if (yamlProblem) report(pos(yamlProblem.pos[0]), yamlMessage(yamlProblem, doc));
  if (errors.length) {
    result.errors.push(...errors);
    return;
  }

  const values = new Map<string, Position>();
  const keys = new Map<string, Position>();
  const walker = new Walker(pos, values, keys, report);
  const data = walker.value(doc.contents, []);
  if (errors.length) {
    result.errors.push(...errors);
    return;
  }
  const source = new SourceMap(file, values, keys);

  for (const p of validateScenarioData(toJsonView(data))) {
    report(source.position(p.pointer, { key: p.atKey }), p.message);
  }
  if (errors.length === 0) {
    for (const p of semanticProblems(data as Record<string, unknown>)) report(source.position(p.pointer, { key: p.atKey }), p.message);
  }
  if (errors.length) {
    result.errors.push(...byPosition(errors));
    return;
  }
  const scenario = toScenario(data as Record<string, unknown>);
  sourceMaps.set(scenario, source);
  result.scenarios.push(scenario);
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  if (doc.errors.length) return false;
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && (c.source === '' || c.source === undefined));
}

function byPosition(errors: ScenarioError[]): ScenarioError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
}

function documentId(doc: Document.Parsed): string | undefined {
  if (!isMap(doc.contents)) return undefined;
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.value === 'id' && isScalar(pair.value) && typeof pair.value.value === 'string') {
      return pair.value.value;
    }
  }
  return undefined;
}

/** yaml's messages, reworded where they are terse. */
function yamlMessage(e: YAMLError, doc: Document.Parsed): string {
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (e.code) {
    case 'DUPLICATE_KEY': {
      const key = duplicateKeyAt(doc, e.pos[0]);
      return key !== undefined ? `duplicate key \`${key}\` (each key may appear once in a mapping)` : 'duplicate key (each key may appear once in a mapping)';
    }
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation; YAML indentation must be spaces';
    case 'TAG_RESOLVE_FAILED':
      return `unknown YAML tag: ${first}; scenarios use plain YAML values`;
    case 'BAD_ALIAS':
    case 'MULTIPLE_ANCHORS':
      return `${first}`;
    default:
      return `YAML syntax error: ${first}`;
  }
}

function duplicateKeyAt(doc: Document.Parsed, offset: number): string | undefined {
  let found: string | undefined;
  const visit = (node: unknown) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.range?.[0] === offset) found = String(pair.key.value);
        visit(pair.value);
      }
    } else if (isSeq(node)) {
      node.items.forEach(visit);
    }
  };
  visit(doc.contents);
  return found;
}

// ---------------------------------------------------------------------------
// YAML nodes → plain data, recording positions

class Walker {
  private aliases = 0;

  constructor(
    private readonly pos: (offset: number) => Position,
    private readonly values: Map<string, Position>,
    private readonly keys: Map<string, Position>,
    private readonly report: (at: Position, message: string) => void,
  ) {}

  value(node: unknown, path: string[]): unknown {
    const pointer = toPointer(path);
    const range = (node as YamlNode | null)?.range;
    if (range) this.values.set(pointer, this.pos(range[0]));
    if (isAlias(node)) {
      if (this.aliases++ === 0) {
        this.report(this.pos(node.range![0]), `YAML aliases are not allowed in scenarios (\`*${node.source}\`); write the value out`);
      }
      return null;
    }
    if (isScalar(node)) return node.value;
    if (isSeq(node)) return node.items.map((item, i) => this.value(item, [...path, String(i)]));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = pair.key;
        const keyPos = this.pos((key as YamlNode | null)?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0] ?? range?.[0] ?? 0);
        if (!isScalar(key) || typeof key.value !== 'string') {
          const what = isScalar(key) ? describeScalar(key.value) : isAlias(key) ? 'an alias' : key === null ? 'empty' : 'a collection';
          this.report(keyPos, `mapping keys must be strings; this key is ${what}${isScalar(key) && key.value !== null ? ` (quote it: "${String(key.value)}")` : ''}`);
          continue;
        }
        const childPath = [...path, key.value];
        this.keys.set(toPointer(childPath), keyPos);
        out[key.value] = this.value(pair.value, childPath);
        if (pair.value === null) this.values.set(toPointer(childPath), keyPos);
      }
      return out;
    }
    return null; // an empty value (`key:` with nothing after it) is null
  }
}

function describeScalar(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `the integer ${v}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  return typeof v;
}

/** The data ajv sees: JSON numbers in place of bigints. */
function toJsonView(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toJsonView);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonView(x)]));
  }
  return v;
}

// ---------------------------------------------------------------------------
// Checks beyond the schema

interface Problem {
  pointer: string;
  atKey: boolean;
  message: string;
}

function semanticProblems(data: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  // `match` patterns must compile as ECMAScript regular expressions.
  const visitExpect = (v: unknown, path: string[]) => {
    if (Array.isArray(v)) v.forEach((x, i) => visitExpect(x, [...path, String(i)]));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'match' && typeof x === 'string') {
          try {
            new RegExp(x);
          } catch (err) {
            problems.push({ pointer: toPointer([...path, k]), atKey: false, message: `\`match\` is not a valid regular expression: ${(err as Error).message}` });
          }
        } else visitExpect(x, [...path, k]);
      }
    }
  };
  visitExpect(data.expect, ['expect']);
  problems.push(...programProblems(data.program as Record<string, unknown>));
  const program = data.program as Record<string, Record<string, unknown> | undefined>;
  for (const name of Object.keys(program.functions ?? {})) {
    if (program.coroutines && name in program.coroutines) {
      problems.push({ pointer: toPointer(['program', 'coroutines', name]), atKey: true, message: `\`${name}\` is defined both as a function and as a coroutine` });
    }
  }
  return problems;
}

/** Why an f-string template is malformed, or undefined when it parses. */
function fStringProblem(template: string): string | undefined {
  try {
    parseFString(template);
    return undefined;
  } catch (err) {
    return `bad f-string ${JSON.stringify(template)}: ${(err as Error).message}`;
  }
}

/** What kind of code a step sits in: decides where `await`, `return`, `break` may appear. */
interface Where {
  /** `generator`: a `generator: true` coroutine (`@asyncio.coroutine def`). */
  kind: 'module' | 'function' | 'coroutine' | 'generator';
  name?: string;
  /** Inside the body (not the `else`) of a for, async_for or while loop of this function. */
  inLoop: boolean;
  /** Inside the element or condition of a comprehension. */
  inComp: boolean;
}

function describe(w: Where): string {
  switch (w.kind) {
    case 'module': return 'at module level';
    case 'function': return `in the plain function \`${w.name}\``;
    case 'generator': return `in the \`generator: true\` coroutine \`${w.name}\``;
    case 'coroutine': return `in the coroutine \`${w.name}\``;
  }
}

/**
 * Checks of a program that CPython makes when it compiles (SyntaxError), so
 * that such a scenario is a load error with a position rather than a failure
 * at run time: `await`, `async_for` and `async_with` only in coroutines,
 * `yield_from` only in `generator: true` coroutines, `return` only in
 * functions, `break` and `continue` only in loops; and every f-string parses
 * (its fields are a closed subset of Python expressions, INTERPRETING.md §3).
 * Runs after the schema, so every mapping has its one operator.
 */
function programProblems(program: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string[], atKey: boolean, message: string) => problems.push({ pointer: toPointer(path), atKey, message });
  const python = (msg: string) => ` (Python: SyntaxError: ${msg})`;

  const steps = (list: unknown, path: string[], w: Where): void => {
    if (Array.isArray(list)) list.forEach((s, i) => step(s, [...path, String(i)], w));
  };
  const step = (s: unknown, path: string[], w: Where): void => {
    if (typeof s === 'string') {
      if (s === 'return' && w.kind === 'module') report(path, false, `\`return\` at module level${python("'return' outside function")}`);
      if ((s === 'break' || s === 'continue') && !w.inLoop) {
        report(path, false, `\`${s}\` outside a loop${python(s === 'break' ? "'break' outside loop" : "'continue' not properly in loop")}`);
      }
      return;
    }
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return;
    const m = s as Record<string, any>;
    const op = operatorOf(Object.keys(m), true);
    const at = [...path, op ?? ''];
    const loop = { ...w, inLoop: true };
    if ((op === 'async_for' || op === 'async_with') && w.kind !== 'coroutine') {
      const py = op === 'async_for' ? 'async for' : 'async with';
      report(at, true, `\`${op}\` ${describe(w)}; it is allowed only in coroutines${python(`'${py}' outside async function`)}`);
    }
    switch (op) {
      case 'if':
        expr(m.if, [...path, 'if'], w);
        steps(m.then, [...path, 'then'], w);
        if (Array.isArray(m.elif)) {
          m.elif.forEach((c: Record<string, unknown>, i: number) => {
            expr(c?.if, [...path, 'elif', String(i), 'if'], w);
            steps(c?.then, [...path, 'elif', String(i), 'then'], w);
          });
        }
        steps(m.else, [...path, 'else'], w);
        return;
      case 'async_for':
      case 'async_with':
      case 'for':
      case 'while':
        expr(m[op], at, w);
        expr(m.in, [...path, 'in'], w);
        steps(m.do, [...path, 'do'], op === 'async_with' ? w : loop);
        steps(m.else, [...path, 'else'], w);
        return;
      case 'try':
        steps(m.try, at, w);
        if (Array.isArray(m.except)) m.except.forEach((c: Record<string, unknown>, i: number) => steps(c?.do, [...path, 'except', String(i), 'do'], w));
        steps(m.else, [...path, 'else'], w);
        steps(m.finally, [...path, 'finally'], w);
        return;
      case 'return':
        if (w.kind === 'module') report(at, true, `\`return\` at module level${python("'return' outside function")}`);
        expr(m.return, at, w);
        return;
      case 'global':
      case 'del':
        return; // names only
      case undefined:
        return; // the schema has reported it
      default:
        // print, set, raise, and expressions used as statements: every value is an expression.
        if (op in STATEMENTS) for (const [k, v] of Object.entries(m)) operand(k, v, [...path, k], w);
        else expr(m, path, w);
    }
  };
  /** The value of key `k` of a form: a name-keyed mapping holds expressions; anything else is one. */
  const operand = (k: string, v: unknown, path: string[], w: Where): void => {
    if (NAME_KEYED.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [name, x] of Object.entries(v)) expr(x, [...path, name], w);
    } else expr(v, path, w);
  };
  const expr = (e: unknown, path: string[], w: Where): void => {
    if (Array.isArray(e)) {
      e.forEach((x, i) => expr(x, [...path, String(i)], w));
      return;
    }
    if (e === null || typeof e !== 'object') return;
    const m = e as Record<string, unknown>;
    const op = operatorOf(Object.keys(m), false);
    const at = [...path, op ?? ''];
    if (op === 'f') {
      if (typeof m.f === 'string') {
        const problem = fStringProblem(m.f);
        if (problem) report(at, false, problem);
      }
      return;
    }
    if (op === 'await') {
      if (w.kind === 'coroutine') {
        // allowed, in a comprehension too
      } else if (w.inComp) {
        report(at, true, `\`await\` in a comprehension ${describe(w)}${python('asynchronous comprehension outside of an asynchronous function')}`);
      } else {
        report(at, true, `\`await\` ${describe(w)}; it is allowed only in coroutines${python(w.kind === 'module' ? "'await' outside function" : "'await' outside async function")}`);
      }
    } else if (op === 'yield_from') {
      if (w.inComp) report(at, true, `\`yield_from\` in a comprehension${python("'yield' inside list comprehension")}`);
      else if (w.kind !== 'generator') {
        const py = w.kind === 'coroutine' ? python("'yield from' inside async function") : w.kind === 'module' ? python("'yield' outside function") : '';
        report(at, true, `\`yield_from\` ${describe(w)}; it is allowed only in \`generator: true\` coroutines${py}`);
      }
    }
    for (const [k, v] of Object.entries(m)) {
      // A comprehension's element and condition run in its own scope; its first iterable, `in`, in the enclosing one.
      operand(k, v, [...path, k], op === 'comp' && k !== 'in' ? { ...w, inComp: true } : w);
    }
  };

  const module: Where = { kind: 'module', inLoop: false, inComp: false };
  for (const group of ['functions', 'coroutines'] as const) {
    const defs = program[group];
    if (defs === null || typeof defs !== 'object') continue;
    for (const [name, def] of Object.entries(defs as Record<string, Record<string, unknown>>)) {
      const path = ['program', group, name];
      // Defaults are evaluated when the `def` runs, at module level.
      if (Array.isArray(def.params)) {
        def.params.forEach((p, i) => {
          if (p !== null && typeof p === 'object') for (const [n, d] of Object.entries(p)) expr(d, [...path, 'params', String(i), n], module);
        });
      }
      const kind = group === 'functions' ? 'function' : def.generator === true ? 'generator' : 'coroutine';
      steps(def.body, [...path, 'body'], { kind, name, inLoop: false, inComp: false });
    }
  }
  steps(program.module, ['program', 'module'], module);
  return problems;
}

// ---------------------------------------------------------------------------
// Plain data → Scenario

function toScenario(data: Record<string, unknown>): Scenario {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) out[k] = k === 'program' ? convertProgram(v as Record<string, unknown>) : numbersOutside(v);
  return out as unknown as Scenario;
}

/** Outside programs every number is a JS number (times, counts). */
function numbersOutside(v: unknown): unknown {
  return toJsonView(v);
}

function convertProgram(p: Record<string, unknown>): Program {
  // Keys keep the order the file wrote them in: definitions are emitted in that order.
  const out: Record<string, unknown> = {};
  for (const [group, value] of Object.entries(p)) {
    if (group === 'module') out.module = convertNode(value);
    else out[group] = Object.fromEntries(Object.entries(value as Record<string, Record<string, unknown>>).map(([name, def]) => [name, convertFunction(def)]));
  }
  return out as Program;
}

function convertFunction(def: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = { ...def };
  if (def.params) {
    out.params = (def.params as unknown[]).map((param) =>
      typeof param === 'string' ? param : convertNames(param as Record<string, unknown>));
  }
  out.body = convertNode(def.body);
  return out;
}

/** A mapping whose keys are names (`set` targets, `kwargs`, parameter defaults) and whose values are expressions. */
function convertNames(m: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, convertNode(v)]));
}

/** Steps and expressions: ints are bigints already; floats become `{float: n}`. */
function convertNode(v: unknown): unknown {
  if (typeof v === 'number') return { float: v };
  if (Array.isArray(v)) return v.map(convertNode);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'float') out[k] = Number(x as number | bigint);
    else if (NAME_KEYED.has(k)) out[k] = convertNames(x as Record<string, unknown>);
    else out[k] = convertNode(x);
  }
  return out;
}
