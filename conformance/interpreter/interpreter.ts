/**
 * The scenario interpreter: runs a scenario's program against an adapter
 * Session, as CPython would run the Python program the scenario compiles to.
 *
 * Invariants:
 * - Every function body (and the module body) is a JS generator. In a
 *   coroutine it yields the awaitable of each `await`/`yield from`; in any
 *   body it yields, unchanged, the Suspend a blocking library call returned.
 *   It is resumed with the result, or thrown the implementation's exception.
 *   Nothing else is ever yielded, so a body never adds an await or a loop
 *   iteration of its own.
 * - Python exceptions are the implementation's objects, thrown with JS
 *   `throw`; a JS error that is not one (a bug, a malformed scenario, a
 *   deadlock) is never caught by an `except` clause.
 * - A statement completes normally (undefined) or with break/continue/return
 *   ({@link Completion}); `finally` is a JS `finally`, so closing a body
 *   (`gen.return()`) runs it, as `coroutine.close()` does in Python.
 * - The interpreter owns stdout: text is buffered and each completed line is
 *   one `print` event, stamped with the virtual time at which it completed.
 * - CPython's refcounting is imitated where a scenario can observe it: a
 *   value the program drops (expression statement, `del`, rebinding, a
 *   function's locals on return) is handed to `session.release` unless the
 *   program can still reach it.
 *
 * Python scoping: a name assigned anywhere in a function (set, for, except
 * `as`, async_with `as`, del, parameters) is local to it unless declared
 * `global`; other names are module globals, then builtins. Comprehensions
 * have their own scope.
 */
import {
  ASYNCIO_FUNCTIONS,
  LANGUAGE_EXPRESSIONS,
  STATEMENTS,
  operatorOf as languageOperatorOf,
  type ExceptClause,
  type Expr,
  type FunctionDef,
  type Param,
  type Program,
  type Step,
} from '../language/ast';
import { DeadlockError, type EventSink, type Kwargs, type PyValue, type Session, Suspend } from '../adapters/adapter';
import type { Outcome } from '../results';
import { compileWithLines, type PythonLines } from '../python/compiler';
import { BuiltinHost, Gen, boundMethod, index, makeBuiltins } from './builtins';
import { Accessor, parseFString, renderTemplate } from './fstring';
import type { FieldNode } from './fieldexpr';
import * as render from './render';
import {
  ArithOp,
  PyBuiltin,
  PyContext,
  PyDict,
  PyDictView,
  PyFunction,
  PyList,
  PyRange,
  PySet,
  PyTuple,
  arith,
  codePoints,
  isInt,
  isOwnValue,
  isStr,
  negate,
  ownTruthy,
  ownTypeName,
  pyCompare,
  pyEq,
  pyIs,
  strLen,
} from './values';

export interface InterpreterOptions {
  /** The Python version being imitated, "3.11"; some interpreter messages differ by version. */
  python: string;
  /**
   * Release module globals when the module body ends, as interpreter
   * shutdown does (a coroutine left in a global warns "never awaited").
   * Default true.
   */
  releaseGlobalsAtExit?: boolean;
}

/** The file name CPython runs a compiled scenario as (`coro=<main() running at <scenario>:7>`). */
export const SCENARIO_FILENAME = '<scenario>';

/**
 * Where each node of a program is in its compiled Python (compileToPython of
 * its scenario): computed once per program object, for every run of it.
 */
const lineCache = new WeakMap<Program, PythonLines>();

function linesOf(program: Program): PythonLines {
  let lines = lineCache.get(program);
  if (!lines) {
    lines = compileWithLines(program).lines;
    lineCache.set(program, lines);
  }
  return lines;
}

/** A scenario that cannot be run: an unknown form, `await` outside a coroutine. Never caught by `except`. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** Runs `program` to its end and reports how it ended; events go to `sink`. */
export async function runProgram(
  program: Program,
  session: Session,
  sink: EventSink,
  options: InterpreterOptions,
): Promise<Outcome> {
  return new Interpreter(program, session, sink, options).run();
}

// ---------------------------------------------------------------------------
// Completions and frames

const BREAK = { kind: 'break' } as const;
const CONTINUE = { kind: 'continue' } as const;
class Return {
  constructor(readonly value: PyValue) {}
}
type Completion = undefined | typeof BREAK | typeof CONTINUE | Return;

/** What a function's body assigns, found before it runs (Python decides scope at compile time). */
interface Scope {
  locals: Set<string>;
  globals: Set<string>;
}

class Frame {
  readonly locals = new Map<string, PyValue>();
  /** Exceptions being handled by enclosing except clauses of this frame, innermost last (for bare `raise`). */
  readonly handling: PyValue[] = [];
  /** The line of the compiled source this frame is at (0: not started); reported to the session for coroutine frames. */
  line = 0;
  /** Whether this frame's line is reported (Session.setLine): a coroutine's, when the session takes lines. */
  reports = false;
  constructor(
    /** null: the module frame, whose locals are the globals. */
    readonly scope: Scope | null,
    readonly kind: 'module' | 'function' | 'coroutine' | 'generator' | 'comprehension',
    /** The frame that called this one directly (bare `raise` in a called function sees its handler). */
    readonly caller?: Frame,
    /** For a comprehension: the enclosing frame, where names it does not bind are looked up. */
    readonly outer?: Frame,
  ) {}
}

// ---------------------------------------------------------------------------
// Operator tables (ast.ts): an expression or statement mapping has one
// operator key, plus that operator's option keys.

type OperatorKind = 'statement' | 'expression' | 'asyncio';

/** Builtins that keep no reference to their arguments: temporaries passed to them are dropped after the call. */
const PURE_BUILTINS = new Set([
  'len', 'repr', 'str', 'bool', 'int', 'float', 'isinstance', 'issubclass', 'type_name', 'abs', 'round', 'format', 'print',
]);
/** asyncio functions that keep no reference to their arguments. */
const PURE_ASYNCIO = new Set(['iscoroutine', 'iscoroutinefunction', 'isfuture']);

/** Python comparison operators in f-string fields → the language's binary operators. */
const CMP_OPS: Record<string, string> = {
  '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge',
  in: 'in', 'not in': 'not_in', is: 'is', 'is not': 'is_not',
};
const operators = new WeakMap<object, { op: string; kind: OperatorKind }>();

/**
 * The operator key of a mapping, by the language's rule (ast.ts
 * operatorOf), and which table it comes from; cached per node, as a program
 * runs its nodes many times. A loaded scenario has passed the schema, but a
 * program built in code has not: an unknown form or a stray key is a
 * ScenarioError.
 */
function operatorOf(node: Record<string, unknown>, statement: boolean): { op: string; kind: OperatorKind } {
  const cached = operators.get(node);
  if (cached) return cached;
  const keys = Object.keys(node);
  const op = languageOperatorOf(keys, statement);
  const kind: OperatorKind | undefined = op === undefined ? undefined
    : statement && Object.prototype.hasOwnProperty.call(STATEMENTS, op) ? 'statement'
    : Object.prototype.hasOwnProperty.call(LANGUAGE_EXPRESSIONS, op) ? 'expression' : 'asyncio';
  const options = op === undefined ? [] : kind === 'statement' ? STATEMENTS[op] : kind === 'expression' ? LANGUAGE_EXPRESSIONS[op] : ASYNCIO_FUNCTIONS[op as keyof typeof ASYNCIO_FUNCTIONS];
  if (op === undefined || kind === undefined || !keys.every((k) => k === op || (options as readonly string[]).includes(k))) {
    throw new ScenarioError(`unknown ${statement ? 'statement or ' : ''}expression form with keys ${JSON.stringify(keys)}`);
  }
  const found = { op, kind };
  operators.set(node, found);
  return found;
}

/** `"a"`, `"a, b"`, `"(a, b)"`, `"a, *rest"` → the names; `unpack` when it is a tuple target. */
function parseTarget(target: string): { names: string[]; unpack: boolean; star: number } {
  let t = target.trim();
  if (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1);
  if (!t.includes(',')) return { names: [stripDollar(t.trim())], unpack: false, star: -1 };
  const parts = t.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const star = parts.findIndex((p) => p.startsWith('*'));
  return { names: parts.map((p) => stripDollar(p.replace(/^\*/, ''))), unpack: true, star };
}

function stripDollar(name: string): string {
  return name.startsWith('$') ? name.slice(1) : name;
}

/** The locals and globals of a function body, from its statements. */
function analyse(def: FunctionDef): Scope {
  const locals = new Set<string>();
  const globals = new Set<string>();
  for (const p of def.params ?? []) locals.add(paramName(p).name);
  const walk = (steps: Step[] | undefined): void => {
    for (const step of steps ?? []) {
      if (step === null || typeof step !== 'object' || Array.isArray(step)) continue;
      const s = step as Record<string, any>;
      let op: string;
      try {
        op = operatorOf(s, true).op;
      } catch {
        continue;
      }
      switch (op) {
        case 'set':
          for (const t of Object.keys(s.set)) for (const n of parseTarget(t).names) locals.add(n);
          break;
        case 'for':
        case 'async_for':
          for (const n of parseTarget(s[op]).names) locals.add(n);
          walk(s.do);
          walk(s.else);
          break;
        case 'while':
          walk(s.do);
          walk(s.else);
          break;
        case 'if':
          walk(s.then);
          for (const e of s.elif ?? []) walk(e.then);
          walk(s.else);
          break;
        case 'try':
          walk(s.try);
          for (const c of (s.except ?? []) as ExceptClause[]) {
            if (c.as) locals.add(stripDollar(c.as));
            walk(c.do);
          }
          walk(s.else);
          walk(s.finally);
          break;
        case 'async_with':
          if (s.as) locals.add(stripDollar(s.as));
          walk(s.do);
          break;
        case 'del':
          for (const n of s.del as string[]) locals.add(stripDollar(n));
          break;
        case 'global':
          for (const n of s.global as string[]) globals.add(stripDollar(n));
          break;
      }
    }
  };
  walk(def.body);
  for (const g of globals) locals.delete(g);
  return { locals, globals };
}

function paramName(p: Param): { name: string; hasDefault: boolean; default?: Expr } {
  if (typeof p === 'string') return { name: stripDollar(p), hasDefault: false };
  const [name, dflt] = Object.entries(p)[0];
  return { name: stripDollar(name), hasDefault: true, default: dflt };
}

/** CPython's list of missing argument names: 'a', 'a' and 'b', 'a', 'b', and 'c'. */
function nameList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

// ---------------------------------------------------------------------------
// The interpreter

export class Interpreter implements PyContext, BuiltinHost {
  readonly minor: number;
  readonly ctx: PyContext = this;
  private readonly globals = new Map<string, PyValue>();
  private readonly builtins: Map<string, PyBuiltin>;
  /** `type(v)` of the interpreter's own values whose type is not a builtin name, one object per type name. */
  private readonly ownTypes = new Map<string, PyBuiltin>();
  private readonly functions = new Map<string, PyFunction>();
  private readonly defaults = new Map<string, PyValue[]>();
  private readonly scopes = new Map<string, Scope>();
  /** Frames whose bodies have started and not ended: roots for the reachability check of `release`. */
  private readonly live = new Set<Frame>();
  private stdout = '';
  /**
   * Values an exception keeps alive (its traceback holds the frames and the
   * arguments of the calls it went through): released when the program is
   * done with the exception, i.e. at the end of the except clause that
   * handled it, or at the end of the program.
   */
  private readonly heldByException = new Map<PyValue, PyValue[]>();
  /** Lines of the compiled program, when the session takes them (Session.setLine). */
  private readonly lines: PythonLines | undefined;

  constructor(
    private readonly program: Program,
    readonly session: Session,
    private readonly sink: EventSink,
    private readonly options: InterpreterOptions,
  ) {
    const m = /^3\.(\d+)/.exec(options.python);
    this.minor = m ? Number(m[1]) : 11;
    this.builtins = makeBuiltins(this);
    this.lines = session.setLine ? linesOf(program) : undefined;
    for (const [kind, defs] of [['function', program.functions], ['coroutine', program.coroutines]] as const) {
      for (const [name, def] of Object.entries(defs ?? {})) {
        const k = kind === 'coroutine' && def.generator ? 'generator' : kind;
        this.scopes.set(name, analyse(def));
        const firstlineno = this.lines?.functions.get(def);
        const code = firstlineno !== undefined ? { filename: SCENARIO_FILENAME, firstlineno } : undefined;
        const fn: PyFunction = new PyFunction(k, name, (args, kwargs): Gen<PyValue> => this.startFunction(fn, def, args, kwargs), code);
        this.functions.set(name, fn);
      }
    }
  }

  /** Runs the module body on the main thread and reports the outcome. */
  async run(): Promise<Outcome> {
    let result: PyValue = null;
    let outcome: Outcome;
    try {
      await this.session.main(() => this.moduleBody((v) => (result = v)));
      outcome = { kind: 'returned', repr: this.repr(result) };
    } catch (e) {
      if (e instanceof DeadlockError) {
        this.flush();
        return { kind: 'deadlock' };
      }
      const info = this.session.exceptionInfo(e);
      if (!info) throw e;
      outcome = { kind: 'raised', type: info.type, args: info.args.map((a) => this.repr(a)), str: this.str(e) };
    }
    // Interpreter shutdown: what exceptions kept alive goes too.
    for (const e of [...this.heldByException.keys()]) this.dropException(e);
    this.flush();
    return outcome;
  }

  private *moduleBody(setResult: (v: PyValue) => void): Gen<PyValue> {
    const frame = new Frame(null, 'module');
    this.live.add(frame);
    // The `def` statements run first: they bind the names and evaluate default values.
    for (const [name, fn] of this.functions) {
      const def = this.program.functions?.[name] ?? this.program.coroutines![name];
      const values: PyValue[] = [];
      for (const p of def.params ?? []) {
        const { hasDefault, default: d } = paramName(p);
        if (hasDefault) values.push(yield* this.eval(d as Expr, frame));
      }
      this.defaults.set(name, values);
      this.session.define?.(fn);
      this.globals.set(name, fn);
    }
    try {
      if (this.program.module) {
        const c = yield* this.execBlock(this.program.module, frame);
        if (c !== undefined) throw new ScenarioError(`'${c instanceof Return ? 'return' : c.kind}' outside function`);
      } else {
        // Default module: `asyncio.run(main())`, whose value is the outcome.
        setResult(yield* this.eval({ run: { call: ['main'] } } as Expr, frame));
      }
    } finally {
      this.live.delete(frame);
    }
    if (this.options.releaseGlobalsAtExit !== false) {
      const values = [...this.globals.values()];
      this.globals.clear();
      for (const v of values) this.release(v);
    }
    return null;
  }

  // -------------------------------------------------------------------------
  // PyContext

  raise(type: string, ...args: PyValue[]): never {
    throw this.session.newException(type, args);
  }

  typeName(v: PyValue): string {
    const own = ownTypeName(v);
    if (own !== undefined) return own;
    const info = this.session.exceptionInfo(v);
    if (info) return render.shortName(info.type);
    try {
      const name = this.session.getAttr(this.session.getAttr(v, '__class__'), '__name__');
      if (isStr(name)) return name;
    } catch {
      // fall through
    }
    return 'object';
  }

  repr(v: PyValue): string {
    return render.repr(v, this.session);
  }

  str(v: PyValue): string {
    return render.str(v, this.session);
  }

  // -------------------------------------------------------------------------
  // stdout

  write(text: string): void {
    this.stdout += text;
    let nl: number;
    while ((nl = this.stdout.indexOf('\n')) >= 0) {
      const line = this.stdout.slice(0, nl);
      this.stdout = this.stdout.slice(nl + 1);
      this.sink.emit({ t: this.session.time(), kind: 'print', text: line });
    }
  }

  /** At exit, an unfinished line is still written (Python flushes stdout). */
  private flush(): void {
    if (this.stdout !== '') {
      const line = this.stdout;
      this.stdout = '';
      this.sink.emit({ t: this.session.time(), kind: 'print', text: line });
    }
  }

  // -------------------------------------------------------------------------
  // Functions

  /** Binds arguments (TypeError now, as in CPython) and returns the body, not yet started. */
  private startFunction(fn: PyFunction, def: FunctionDef, args: PyValue[], kwargs: Kwargs, caller?: Frame): Gen<PyValue> {
    const frame = new Frame(this.scopes.get(fn.name)!, fn.kind, fn.kind === 'function' ? caller : undefined);
    if (fn.kind !== 'function' && this.lines !== undefined) frame.reports = true;
    this.bind(fn, def, frame, args, kwargs);
    return this.runBody(def, frame);
  }

  private bind(fn: PyFunction, def: FunctionDef, frame: Frame, args: PyValue[], kwargs: Kwargs): void {
    const params = (def.params ?? []).map(paramName);
    const varargs = params.findIndex((p) => p.name.startsWith('*') && !p.name.startsWith('**'));
    const varkw = params.findIndex((p) => p.name.startsWith('**'));
    const positional = params.filter((p) => !p.name.startsWith('*'));
    const defaults = this.defaults.get(fn.name) ?? [];
    const firstDefault = positional.length - defaults.length;
    const q = fn.name;
    if (args.length > positional.length && varargs < 0) {
      const n = positional.length;
      const takes = defaults.length ? `from ${firstDefault} to ${n}` : `${n}`;
      const given = args.length;
      this.raise(
        'TypeError',
        `${q}() takes ${takes} positional argument${n === 1 && !defaults.length ? '' : 's'} but ${given} ${given === 1 ? 'was' : 'were'} given`,
      );
    }
    positional.forEach((p, i) => {
      if (i < args.length) frame.locals.set(p.name, args[i]);
    });
    if (varargs >= 0) frame.locals.set(params[varargs].name.slice(1), new PyTuple(args.slice(positional.length)));
    const extra = new PyDict();
    for (const [k, v] of Object.entries(kwargs)) {
      const p = positional.find((x) => x.name === k);
      if (!p) {
        if (varkw >= 0) {
          extra.set(k, v);
          continue;
        }
        this.raise('TypeError', `${q}() got an unexpected keyword argument '${k}'`);
      }
      if (frame.locals.has(k)) this.raise('TypeError', `${q}() got multiple values for argument '${k}'`);
      frame.locals.set(k, v);
    }
    if (varkw >= 0) frame.locals.set(params[varkw].name.slice(2), extra);
    const missing: string[] = [];
    positional.forEach((p, i) => {
      if (frame.locals.has(p.name)) return;
      if (i >= firstDefault) frame.locals.set(p.name, defaults[i - firstDefault]);
      else missing.push(p.name);
    });
    if (missing.length) {
      this.raise(
        'TypeError',
        `${q}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${nameList(missing)}`,
      );
    }
  }

  private *runBody(def: FunctionDef, frame: Frame): Gen<PyValue> {
    this.live.add(frame);
    let value: PyValue = null;
    let returned = false;
    try {
      const c = yield* this.execBlock(def.body, frame);
      if (c instanceof Return) value = c.value;
      else if (c !== undefined) throw new ScenarioError(`'${c.kind}' outside loop`);
      returned = true;
      return value;
    } catch (e) {
      // The traceback keeps the frame, and so its locals, alive.
      this.holdWithException(e, [...frame.locals.values()]);
      throw e;
    } finally {
      this.live.delete(frame);
      // The frame dies on return; its locals are dropped (the return value lives on in the caller).
      if (returned) {
        const locals = [...frame.locals.values()];
        frame.locals.clear();
        for (const v of locals) if (v !== value) this.release(v);
      }
    }
  }

  /** Calls any callable value with Python semantics; bodies of plain functions run inline. */
  *call(fn: PyValue, args: PyValue[], kwargs: Kwargs, caller?: Frame): Gen<PyValue> {
    if (fn instanceof PyFunction) {
      if (fn.kind !== 'function') return this.session.coroutine(fn, args, kwargs);
      const def = this.program.functions![fn.name];
      return yield* this.startFunction(fn, def, args, kwargs, caller);
    }
    if (fn instanceof PyBuiltin) return yield* fn.start(args, kwargs);
    if (isOwnValue(fn)) return this.raise('TypeError', `'${this.typeName(fn)}' object is not callable`);
    return yield* this.suspendable(this.session.call('__call__', args, kwargs, fn));
  }

  /** The result of a library call, suspending the body when the call blocks. */
  private *suspendable(r: PyValue | Suspend): Gen<PyValue> {
    if (r instanceof Suspend) return yield r;
    return r;
  }

  /** `obj.name(*args, **kwargs)`. */
  private *callMethod(obj: PyValue, name: string, args: PyValue[], kwargs: Kwargs, frame: Frame): Gen<PyValue> {
    if (isOwnValue(obj)) {
      const m = boundMethod(obj, name, this);
      if (m) return yield* m.start(args, kwargs);
      const attr = this.ownAttr(obj, name);
      return yield* this.call(attr, args, kwargs, frame);
    }
    return yield* this.suspendable(this.session.call(name, args, kwargs, obj));
  }

  // -------------------------------------------------------------------------
  // Names

  private lookup(name: string, frame: Frame): PyValue {
    if (frame.kind === 'comprehension') {
      if (frame.locals.has(name)) return frame.locals.get(name);
      return this.lookup(name, frame.outer!);
    }
    if (frame.scope && frame.scope.locals.has(name)) {
      if (frame.locals.has(name)) return frame.locals.get(name);
      return this.raise(
        'UnboundLocalError',
        this.minor >= 11
          ? `cannot access local variable '${name}' where it is not associated with a value`
          : `local variable '${name}' referenced before assignment`,
      );
    }
    if (this.globals.has(name)) return this.globals.get(name);
    const b = this.builtins.get(name);
    if (b) return b;
    return this.raise('NameError', `name '${name}' is not defined`);
  }

  /** The map a name is bound in, for assignment and deletion. */
  private bindingOf(name: string, frame: Frame): Map<string, PyValue> {
    if (frame.kind === 'comprehension' || (frame.scope && frame.scope.locals.has(name))) return frame.locals;
    return this.globals;
  }

  private assignName(name: string, value: PyValue, frame: Frame): void {
    const map = this.bindingOf(name, frame);
    const old = map.get(name);
    const had = map.has(name);
    map.set(name, value);
    if (had && old !== value) this.release(old);
  }

  private *assign(target: string, value: PyValue, frame: Frame): Gen<void> {
    const t = parseTarget(target);
    if (!t.unpack) return this.assignName(t.names[0], value, frame);
    const items = this.unpack(value, t.names.length, t.star);
    t.names.forEach((n, i) => this.assignName(n, items[i], frame));
  }

  /** `a, b = value` / `a, *rest = value`: the values in target order. */
  private unpack(value: PyValue, n: number, star: number): PyValue[] {
    if (!this.isIterable(value)) {
      return this.raise('TypeError', `cannot unpack non-iterable ${this.typeName(value)} object`);
    }
    const items = [...this.iterate(value)];
    if (star >= 0) {
      const after = n - star - 1;
      if (items.length < n - 1) {
        this.raise('ValueError', `not enough values to unpack (expected at least ${n - 1}, got ${items.length})`);
      }
      return [...items.slice(0, star), new PyList(items.slice(star, items.length - after)), ...items.slice(items.length - after)];
    }
    if (items.length > n) {
      // 3.14 adds the count for sequences of known length (unverified here: no 3.14 on this image).
      const got = this.minor >= 14 && isOwnValue(value) ? `, got ${items.length}` : '';
      this.raise('ValueError', `too many values to unpack (expected ${n}${got})`);
    }
    if (items.length < n) this.raise('ValueError', `not enough values to unpack (expected ${n}, got ${items.length})`);
    return items;
  }

  private deleteName(name: string, frame: Frame): void {
    const map = this.bindingOf(name, frame);
    if (!map.has(name)) {
      this.lookup(name, frame); // raises UnboundLocalError / NameError
      this.raise('NameError', `name '${name}' is not defined`);
    }
    const old = map.get(name);
    map.delete(name);
    this.release(old);
  }

  // -------------------------------------------------------------------------
  // Release (CPython refcounting, where observable)

  /**
   * The program dropped a reference to `v`: if nothing the program can still
   * reach holds it, the implementation is told (for a container, about each
   * of its items).
   */
  release(v: PyValue): void {
    if (!this.holdsForeign(v, new Set())) return;
    const reachable = this.reachable();
    const visit = (x: PyValue): void => {
      if (x === null || typeof x !== 'object' || reachable.has(x)) return;
      reachable.add(x); // visit once
      const items = this.children(x);
      if (items) items.forEach(visit);
      else if (!isOwnValue(x)) this.session.release(x);
    };
    visit(v);
  }

  private children(x: object): PyValue[] | undefined {
    if (x instanceof PyList || x instanceof PyTuple) return [...x.items];
    if (x instanceof PyDict) return x.entries().flat();
    if (x instanceof PySet) return x.items();
    return undefined;
  }

  /** Whether `v` is, or contains, an object of the implementation. */
  private holdsForeign(v: PyValue, seen: Set<object>): boolean {
    if (v === null || typeof v !== 'object') return false;
    if (seen.has(v)) return false;
    seen.add(v);
    const items = this.children(v);
    if (items) return items.some((x) => this.holdsForeign(x, seen));
    return !isOwnValue(v);
  }

  /** Every object reachable from globals and live frames. */
  private reachable(): Set<object> {
    const seen = new Set<object>();
    const visit = (x: PyValue): void => {
      if (x === null || typeof x !== 'object' || seen.has(x)) return;
      seen.add(x);
      this.children(x)?.forEach(visit);
    };
    this.globals.forEach(visit);
    for (const f of this.live) {
      f.locals.forEach(visit);
      f.handling.forEach(visit);
    }
    return seen;
  }

  // -------------------------------------------------------------------------
  // Iteration, truth, containment

  truthy(v: PyValue): boolean {
    return ownTruthy(v) ?? true;
  }

  private isIterable(v: PyValue): boolean {
    if (isStr(v) || v instanceof PyList || v instanceof PyTuple || v instanceof PyDict) return true;
    if (v instanceof PySet || v instanceof PyRange || v instanceof PyDictView) return true;
    if (isOwnValue(v)) return false;
    return this.session.iterate(v) !== undefined;
  }

  /** Python iteration over any value (lists are iterated live, by index). */
  *iterate(v: PyValue): Iterable<PyValue> {
    if (v instanceof PyList) {
      for (let i = 0; i < v.items.length; i++) yield v.items[i];
      return;
    }
    if (v instanceof PyTuple) return yield* v.items;
    if (isStr(v)) return yield* codePoints(v);
    if (v instanceof PyRange) return yield* v;
    if (v instanceof PyDict || v instanceof PyDictView || v instanceof PySet) {
      const owner = v instanceof PyDictView ? v.dict : v;
      const version = owner.version;
      const items = v instanceof PyDict ? v.keys() : v.items();
      for (const x of items) {
        if (owner.version !== version) {
          this.raise('RuntimeError', `${owner instanceof PySet ? 'Set' : 'dictionary'} changed size during iteration`);
        }
        yield x;
      }
      return;
    }
    const it = isOwnValue(v) ? undefined : this.session.iterate(v);
    if (it === undefined) return this.raise('TypeError', `'${this.typeName(v)}' object is not iterable`);
    yield* it;
  }

  private contains(container: PyValue, item: PyValue): boolean {
    if (isStr(container)) {
      if (!isStr(item)) {
        return this.raise('TypeError', `'in <string>' requires string as left operand, not ${this.typeName(item)}`);
      }
      return container.includes(item);
    }
    if (container instanceof PyDict) return container.has(item, this);
    if (container instanceof PySet) return container.has(item, this);
    if (container instanceof PyDictView && container.kind === 'keys') return container.dict.has(item, this);
    if (container instanceof PyRange) {
      if (!isInt(item) && typeof item !== 'number') return false;
      return [...container].some((x) => pyEq(x, item));
    }
    if (!isOwnValue(container)) {
      const answer = this.foreignContains(container, item);
      if (answer !== undefined) return answer;
    }
    if (!this.isIterable(container)) {
      return this.raise('TypeError', `argument of type '${this.typeName(container)}' is not iterable`);
    }
    for (const x of this.iterate(container)) if (x === item || pyEq(x, item)) return true;
    return false;
  }

  typeOf(v: PyValue): PyValue {
    const own = ownTypeName(v);
    if (own === undefined) return this.session.getAttr(v, '__class__');
    const builtin = this.builtins.get(own);
    if (builtin !== undefined) return builtin;
    // A type that is not a builtin name (NoneType, function, dict_keys...): one object per name, so `type(a) is type(b)` holds as in CPython.
    let t = this.ownTypes.get(own);
    if (t === undefined) {
      t = new PyBuiltin(own, () => this.raise('TypeError', `cannot create '${own}' instances`), undefined, (x) => ownTypeName(x) === own);
      this.ownTypes.set(own, t);
    }
    return t;
  }

  /** `item in obj` through the object's `__contains__`, or undefined when it has none (AttributeError). */
  private foreignContains(obj: PyValue, item: PyValue): boolean | undefined {
    try {
      const r = this.session.call('__contains__', [item], {}, obj);
      if (r instanceof Suspend) throw new ScenarioError('__contains__ must not block');
      return this.truthy(r);
    } catch (e) {
      if (this.session.exceptionInfo(e) && this.session.isInstance(e, this.session.name('AttributeError'))) return undefined;
      throw e;
    }
  }

  isInstance(v: PyValue, cls: PyValue): boolean {
    if (cls instanceof PyBuiltin && cls.isType) return cls.isType(v);
    return this.session.isInstance(v, cls);
  }

  // -------------------------------------------------------------------------
  // Attributes and items

  /** `obj.name` for a value of the interpreter. */
  private ownAttr(obj: PyValue, name: string): PyValue {
    const m = boundMethod(obj, name, this);
    if (m) return m;
    if ((obj instanceof PyFunction || obj instanceof PyBuiltin) && (name === '__name__' || name === '__qualname__')) {
      return obj.name;
    }
    if (obj instanceof PyRange && (name === 'start' || name === 'stop' || name === 'step')) return obj[name];
    return this.raise('AttributeError', `'${this.typeName(obj)}' object has no attribute '${name}'`);
  }

  getAttr(obj: PyValue, name: string): PyValue {
    if (isOwnValue(obj)) return this.ownAttr(obj, name);
    return this.session.getAttr(obj, name);
  }

  /** `obj[key]`. */
  getItem(obj: PyValue, key: PyValue): PyValue {
    if (obj instanceof PyDict) {
      const v = obj.get(key, this);
      if (v === undefined) return this.raise('KeyError', key);
      return v;
    }
    if (obj instanceof PyList || obj instanceof PyTuple || isStr(obj) || obj instanceof PyRange) {
      const what = ownTypeName(obj)!;
      if (!isInt(key)) {
        const indices = what === 'str' ? 'string indices' : `${what} indices`;
        return this.raise('TypeError', `${indices} must be integers${what === 'range' ? ' or slices' : ' or slices'}, not ${this.typeName(key)}`);
      }
      const items = obj instanceof PyList || obj instanceof PyTuple ? obj.items : null;
      const n = items ? items.length : obj instanceof PyRange ? obj.length : strLen(obj as string);
      let i = Number(index(key, this));
      if (i < 0) i += n;
      if (i < 0 || i >= n) {
        const label = what === 'str' ? 'string' : what === 'range' ? 'range object' : what;
        return this.raise('IndexError', `${label} index out of range`);
      }
      if (items) return items[i];
      if (obj instanceof PyRange) return obj.at(i);
      return codePoints(obj as string)[i];
    }
    if (isOwnValue(obj)) return this.raise('TypeError', `'${this.typeName(obj)}' object is not subscriptable`);
    const r = this.session.call('__getitem__', [key], {}, obj);
    if (r instanceof Suspend) throw new ScenarioError('__getitem__ must not block');
    return r;
  }

  /** `obj[a:b]`. */
  private getSlice(obj: PyValue, a: PyValue, b: PyValue): PyValue {
    const items: readonly PyValue[] | null =
      obj instanceof PyList || obj instanceof PyTuple ? obj.items : isStr(obj) ? codePoints(obj) : obj instanceof PyRange ? [...obj] : null;
    if (items === null) return this.raise('TypeError', `'${this.typeName(obj)}' object is not subscriptable`);
    const n = items.length;
    const bound = (x: PyValue, dflt: number): number => {
      if (x === null) return dflt;
      if (!isInt(x)) return this.raise('TypeError', 'slice indices must be integers or None or have an __index__ method');
      let i = Number(index(x, this));
      if (i < 0) i = Math.max(0, i + n);
      return Math.min(i, n);
    };
    const out = items.slice(bound(a, 0), bound(b, n));
    if (isStr(obj)) return out.join('');
    if (obj instanceof PyTuple) return new PyTuple(out);
    if (obj instanceof PyRange) return new PyList(out); // approximation: CPython returns a range
    return new PyList(out);
  }

  /** One step of an f-string field reference. */
  access(obj: PyValue, step: Accessor): PyValue {
    if ('attr' in step) return this.getAttr(obj, step.attr);
    if ('index' in step) return this.getItem(obj, step.index);
    // `x()` with no arguments: only calls that complete at once.
    const gen = this.call(obj, [], {});
    const r = gen.next();
    if (!r.done) throw new ScenarioError('a call in an f-string field must not suspend');
    return r.value;
  }

  // -------------------------------------------------------------------------
  // Statements

  private *execBlock(steps: Step[] | undefined, frame: Frame): Gen<Completion> {
    if (steps === undefined) return undefined;
    const lines = frame.reports ? this.lines!.blocks.get(steps) : undefined;
    for (let i = 0; i < steps.length; i++) {
      if (lines !== undefined) this.at(frame, lines[i]);
      const c = yield* this.exec(steps[i], frame);
      if (c !== undefined) return c;
    }
    return undefined;
  }

  /**
   * The frame is now at `line` of the compiled source: where a coroutine
   * shows it is suspended (its repr, get_stack) and where it was when an
   * exception left it (a failed task's stack). Only coroutine frames report.
   */
  private at(frame: Frame, line: number | undefined): void {
    if (!frame.reports || line === undefined || line === frame.line) return;
    frame.line = line;
    this.session.setLine!(line);
  }

  private *exec(step: Step, frame: Frame): Gen<Completion> {
    if (typeof step === 'string') {
      switch (step) {
        case 'pass':
          return undefined;
        case 'break':
          return BREAK;
        case 'continue':
          return CONTINUE;
        case 'return':
          return new Return(null);
        case 'raise':
          return this.reraise(frame);
      }
    }
    if (step === null || typeof step !== 'object' || Array.isArray(step)) {
      this.release(yield* this.eval(step as Expr, frame));
      return undefined;
    }
    const s = step as Record<string, any>;
    const { op, kind } = operatorOf(s, true);
    if (kind !== 'statement') {
      this.release(yield* this.eval(step as Expr, frame));
      return undefined;
    }
    switch (op) {
      case 'print':
        return yield* this.execPrint(s, frame);
      case 'set': {
        // One line per target, from the step's.
        const first = frame.line;
        let k = 0;
        for (const [target, expr] of Object.entries(s.set as Record<string, Expr>)) {
          if (k > 0) this.at(frame, first + k);
          k++;
          yield* this.assign(target, yield* this.eval(expr, frame), frame);
        }
        return undefined;
      }
      case 'if': {
        if (this.truthy(yield* this.eval(s.if, frame))) return yield* this.execBlock(s.then, frame);
        for (const e of s.elif ?? []) {
          if (frame.reports) this.at(frame, this.lines!.elifs.get(e));
          if (this.truthy(yield* this.eval(e.if, frame))) return yield* this.execBlock(e.then, frame);
        }
        return yield* this.execBlock(s.else, frame);
      }
      case 'while': {
        const head = frame.line;
        while (this.truthy(yield* this.eval(s.while, frame))) {
          const c = yield* this.execBlock(s.do, frame);
          if (c === BREAK) return undefined;
          if (c instanceof Return) return c;
          this.at(frame, head);
        }
        return yield* this.execBlock(s.else, frame);
      }
      case 'for':
        return yield* this.execFor(s, frame);
      case 'async_for':
        return yield* this.execAsyncFor(s, frame);
      case 'try':
        return yield* this.execTry(s, frame);
      case 'return':
        return new Return(yield* this.eval(s.return, frame));
      case 'raise':
        return yield* this.execRaise(s, frame);
      case 'global':
        return undefined; // scope was decided before the body ran
      case 'del':
        for (const n of s.del as string[]) this.deleteName(stripDollar(n), frame);
        return undefined;
      case 'async_with':
        return yield* this.execAsyncWith(s, frame);
    }
    throw new ScenarioError(`unknown statement '${op}'`);
  }

  private *execPrint(s: Record<string, any>, frame: Frame): Gen<Completion> {
    const exprs: Expr[] = Array.isArray(s.print) ? s.print : [s.print];
    const args: PyValue[] = [];
    for (const e of exprs) args.push(yield* this.eval(e, frame));
    const kwargs: Kwargs = {};
    if ('sep' in s) kwargs.sep = yield* this.eval(s.sep, frame);
    if ('end' in s) kwargs.end = yield* this.eval(s.end, frame);
    yield* this.builtins.get('print')!.start(args, kwargs);
    this.releaseTemporaries(args, {}, undefined);
    return undefined;
  }

  private *execFor(s: Record<string, any>, frame: Frame): Gen<Completion> {
    const head = frame.line;
    const iterable = yield* this.eval(s.in, frame);
    for (const item of this.iterate(iterable)) {
      yield* this.assign(s.for, item, frame);
      const c = yield* this.execBlock(s.do, frame);
      if (c === BREAK) return undefined;
      if (c instanceof Return) return c;
      this.at(frame, head);
    }
    return yield* this.execBlock(s.else, frame);
  }

  private requireCoroutine(frame: Frame, what: string): void {
    let f = frame;
    while (f.kind === 'comprehension') f = f.outer!;
    if (f.kind !== 'coroutine' && f.kind !== 'generator') {
      throw new ScenarioError(`'${what}' outside async function`);
    }
  }

  private *execAsyncFor(s: Record<string, any>, frame: Frame): Gen<Completion> {
    this.requireCoroutine(frame, 'async for');
    const head = frame.line;
    const iterable = yield* this.eval(s.in, frame);
    const iterator = yield* this.suspendable(this.session.call('__aiter__', [], {}, iterable));
    const stop = this.session.name('StopAsyncIteration');
    for (;;) {
      let item: PyValue;
      try {
        const awaitable = yield* this.suspendable(this.session.call('__anext__', [], {}, iterator));
        item = yield awaitable;
      } catch (e) {
        if (this.session.exceptionInfo(e) && this.session.isInstance(e, stop)) return undefined;
        throw e;
      }
      yield* this.assign(s.async_for, item, frame);
      const c = yield* this.execBlock(s.do, frame);
      if (c === BREAK) return undefined;
      if (c instanceof Return) return c;
      this.at(frame, head);
    }
  }

  private *execAsyncWith(s: Record<string, any>, frame: Frame): Gen<Completion> {
    this.requireCoroutine(frame, 'async with');
    const head = frame.line;
    const manager = yield* this.eval(s.async_with, frame);
    const entered = yield yield* this.suspendable(this.session.call('__aenter__', [], {}, manager));
    if (s.as) yield* this.assign(s.as, entered, frame);
    let completion: Completion;
    try {
      completion = yield* this.execBlock(s.do, frame);
    } catch (e) {
      if (!this.session.exceptionInfo(e)) throw e;
      // From 3.10 (PEP 626) the exit runs at the `async with` line; the
      // re-raise puts the frame back where the exception was raised.
      const raisedAt = frame.line;
      if (this.minor >= 10) this.at(frame, head);
      const type = this.session.getAttr(e, '__class__');
      const exit = yield* this.suspendable(this.session.call('__aexit__', [type, e, null], {}, manager));
      const suppress = this.truthy(yield exit);
      if (!suppress) {
        this.at(frame, raisedAt);
        throw e;
      }
      return undefined;
    }
    if (this.minor >= 10) this.at(frame, head);
    const exit = yield* this.suspendable(this.session.call('__aexit__', [null, null, null], {}, manager));
    yield exit;
    return completion;
  }

  private *execTry(s: Record<string, any>, frame: Frame): Gen<Completion> {
    const clauses: ExceptClause[] = s.except ?? [];
    try {
      let completion: Completion;
      let raised = false;
      try {
        completion = yield* this.execBlock(s.try, frame);
      } catch (e) {
        if (!this.session.exceptionInfo(e)) throw e;
        raised = true;
        const clause = this.matchClause(clauses, e);
        if (!clause) throw e;
        if (frame.reports) this.at(frame, this.lines!.excepts.get(clause));
        completion = yield* this.runHandler(clause, e, frame);
      }
      if (!raised && completion === undefined) completion = yield* this.execBlock(s.else, frame);
      return completion;
    } finally {
      if (s.finally) {
        // A break/continue/return in `finally` replaces the pending completion or exception, as in Python.
        const f = yield* this.execBlock(s.finally, frame);
        // eslint-disable-next-line no-unsafe-finally
        if (f !== undefined) return f;
      }
    }
  }

  private matchClause(clauses: ExceptClause[], e: PyValue): ExceptClause | undefined {
    for (const c of clauses) {
      if (c.type === undefined) return c;
      const names = Array.isArray(c.type) ? c.type : [c.type];
      for (const n of names) {
        const cls = this.classByName(n);
        if (this.isInstance(e, cls)) return c;
      }
    }
    return undefined;
  }

  private classByName(name: string): PyValue {
    return this.builtins.get(name) ?? this.session.name(name);
  }

  private *runHandler(clause: ExceptClause, e: PyValue, frame: Frame): Gen<Completion> {
    frame.handling.push(e);
    const as = clause.as ? stripDollar(clause.as) : undefined;
    let propagates = false;
    try {
      if (as) this.assignName(as, e, frame);
      return yield* this.execBlock(clause.do, frame);
    } catch (out) {
      propagates = out === e;
      throw out;
    } finally {
      frame.handling.pop();
      // `except E as e:` ends with `del e` (even when the handler raised or returned).
      if (as) this.bindingOf(as, frame).delete(as);
      if (!propagates && !this.reachable().has(e as object)) this.dropException(e);
    }
  }

  /** The exception being handled here or, for a called plain function, by its caller. */
  private handled(frame: Frame | undefined): PyValue | undefined {
    for (let f = frame; f; f = f.caller ?? f.outer) {
      if (f.handling.length) return f.handling[f.handling.length - 1];
    }
    return undefined;
  }

  private reraise(frame: Frame): never {
    const e = this.handled(frame);
    if (e === undefined) return this.raise('RuntimeError', 'No active exception to reraise');
    throw e;
  }

  private *execRaise(s: Record<string, any>, frame: Frame): Gen<Completion> {
    const exc = this.toException(yield* this.call0IfClass(yield* this.eval(s.raise, frame), frame));
    const link: { cause?: PyValue; context?: PyValue } = {};
    if ('from' in s) {
      const cause = yield* this.eval(s.from, frame);
      link.cause = cause === null ? null : this.toException(yield* this.call0IfClass(cause, frame), true);
    }
    const context = this.handled(frame);
    if (context !== undefined && context !== exc) link.context = context;
    if (this.session.linkException && (link.cause !== undefined || link.context !== undefined)) {
      this.session.linkException(exc, link);
    }
    throw exc;
  }

  /** `raise ValueError` instantiates the class with no arguments. */
  private *call0IfClass(v: PyValue, frame: Frame): Gen<PyValue> {
    if (isOwnValue(v) || this.session.exceptionInfo(v)) return v;
    return yield* this.call(v, [], {}, frame);
  }

  private toException(v: PyValue, cause = false): PyValue {
    if (this.session.exceptionInfo(v)) return v;
    return this.raise('TypeError', cause ? 'exception causes must derive from BaseException' : 'exceptions must derive from BaseException');
  }

  // -------------------------------------------------------------------------
  // Expressions

  *eval(expr: Expr, frame: Frame): Gen<PyValue> {
    switch (typeof expr) {
      case 'bigint':
      case 'boolean':
        return expr;
      case 'number':
        return expr; // a float (program ints are bigints)
      case 'string':
        return expr.startsWith('$') ? this.variable(expr.slice(1), frame) : expr;
      case 'undefined':
        return null;
    }
    if (expr === null) return null;
    if (Array.isArray(expr)) return new PyList(yield* this.evalArgs(expr, frame));
    const e = expr as Record<string, any>;
    const { op, kind } = operatorOf(e, false);
    if (kind === 'asyncio') return yield* this.evalAsyncio(op, e, frame);
    const arg = e[op];
    switch (op) {
      case 'float':
        return Number(arg);
      case 'str':
        return String(arg);
      case 'name':
        return this.functions.get(arg) ?? this.classByName(arg);
      case 'tuple':
        return new PyTuple(yield* this.evalArgs(arg, frame));
      case 'dict': {
        const d = new PyDict();
        for (const [k, v] of arg as [Expr, Expr][]) {
          const key = yield* this.eval(k, frame);
          d.set(key, yield* this.eval(v, frame), this);
        }
        return d;
      }
      case 'f':
        return yield* renderTemplate(parseFString(arg), {
          ctx: this,
          evaluate: (node) => this.evalField(node, frame),
          str: (v) => this.str(v),
          repr: (v) => this.repr(v),
        });
      case 'await':
        this.requireCoroutine(frame, 'await');
        return yield yield* this.eval(arg, frame);
      case 'yield_from':
        this.requireCoroutine(frame, 'yield from');
        return yield yield* this.eval(arg, frame);
      case 'call':
        return yield* this.evalCall(e, frame);
      case 'attr':
        return this.getAttr(yield* this.eval(arg[0], frame), arg[1]);
      case 'item': {
        const obj = yield* this.eval(arg[0], frame);
        return this.getItem(obj, yield* this.eval(arg[1], frame));
      }
      case 'slice': {
        const obj = yield* this.eval(arg[0], frame);
        const a = yield* this.eval(arg[1], frame);
        return this.getSlice(obj, a, yield* this.eval(arg[2], frame));
      }
      case 'not':
        return !this.truthy(yield* this.eval(arg, frame));
      case 'and': {
        let v: PyValue = true;
        for (const x of arg as Expr[]) {
          v = yield* this.eval(x, frame);
          if (!this.truthy(v)) return v;
        }
        return v;
      }
      case 'or': {
        let v: PyValue = false;
        for (const x of arg as Expr[]) {
          v = yield* this.eval(x, frame);
          if (this.truthy(v)) return v;
        }
        return v;
      }
      case 'neg':
        return negate(yield* this.eval(arg, frame), this);
      case 'if_else': {
        const [cond, then, otherwise] = arg as [Expr, Expr, Expr];
        return yield* this.eval(this.truthy(yield* this.eval(cond, frame)) ? then : otherwise, frame);
      }
      case 'comp':
        return yield* this.evalComprehension(e, frame);
    }
    const a = yield* this.eval(arg[0], frame);
    const b = yield* this.eval(arg[1], frame);
    return this.binary(op, a, b);
  }

  /** `$name`, or `$name.attr.attr` (sugar for `{attr: ...}`). */
  private variable(path: string, frame: Frame): PyValue {
    const parts = path.split('.');
    let v = this.lookup(parts[0], frame);
    for (const a of parts.slice(1)) v = this.getAttr(v, a);
    return v;
  }

  private binary(op: string, a: PyValue, b: PyValue): PyValue {
    switch (op) {
      case 'eq':
        return pyEq(a, b);
      case 'ne':
        return !pyEq(a, b);
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge':
        return pyCompare(op, a, b, this);
      case 'is':
        return pyIs(a, b);
      case 'is_not':
        return !pyIs(a, b);
      case 'in':
        return this.contains(b, a);
      case 'not_in':
        return !this.contains(b, a);
    }
    return arith(op as ArithOp, a, b, this);
  }

  /** Positional arguments, with `{star: x}` unpacked. */
  private *evalArgs(args: unknown[], frame: Frame): Gen<PyValue[]> {
    const out: PyValue[] = [];
    try {
      yield* this.evalArgsInto(out, args, frame);
    } catch (e) {
      // The arguments evaluated so far are temporaries the failed expression drops (with the exception).
      this.holdWithException(e, out);
      throw e;
    }
    return out;
  }

  private *evalArgsInto(out: PyValue[], args: unknown[], frame: Frame): Gen<void> {
    for (const a of args) {
      if (a !== null && typeof a === 'object' && !Array.isArray(a) && Object.keys(a).length === 1 && 'star' in a) {
        const v = yield* this.eval((a as { star: Expr }).star, frame);
        if (!this.isIterable(v)) {
          this.raise('TypeError', `Value after * must be an iterable, not ${this.typeName(v)}`);
        }
        out.push(...this.iterate(v));
      } else out.push(yield* this.eval(a as Expr, frame));
    }
  }

  /**
   * Calls with temporaries: when the call raises, or the callee is known not
   * to keep its arguments, the arguments the program holds nowhere else are
   * dropped afterwards (CPython frees them when the call returns).
   */
  private *withTemporaries(args: PyValue[], kwargs: Kwargs, keeps: boolean, run: () => Gen<PyValue>): Gen<PyValue> {
    let result: PyValue;
    try {
      result = yield* run();
    } catch (e) {
      this.holdWithException(e, [...args, ...Object.values(kwargs)]);
      throw e;
    }
    if (!keeps) this.releaseTemporaries(args, kwargs, result);
    return result;
  }

  /** Keeps `values` alive as long as the exception `e` (a JS error that is not a Python exception keeps nothing). */
  private holdWithException(e: unknown, values: PyValue[]): void {
    const keep = values.filter((v) => v !== null && typeof v === 'object');
    if (!keep.length) return;
    if (!this.session.exceptionInfo(e)) return;
    const held = this.heldByException.get(e);
    if (held) held.push(...keep);
    else this.heldByException.set(e, keep);
  }

  /** The program is done with exception `e`: what it kept alive is dropped. */
  private dropException(e: PyValue): void {
    const held = this.heldByException.get(e);
    if (!held) return;
    this.heldByException.delete(e);
    for (const v of held) this.release(v);
  }

  private releaseTemporaries(args: PyValue[], kwargs: Kwargs, result: PyValue): void {
    for (const v of [...args, ...Object.values(kwargs)]) if (v !== result && v !== null && typeof v === 'object') this.release(v);
  }

  private *evalKwargs(kwargs: Record<string, Expr> | undefined, frame: Frame): Gen<Kwargs> {
    const out: Kwargs = {};
    for (const [k, v] of Object.entries(kwargs ?? {})) out[k] = yield* this.eval(v, frame);
    return out;
  }

  /** `{call: [callee, ...args], kwargs}`: program functions, then variables, then builtins, then the library. */
  private *evalCall(e: Record<string, any>, frame: Frame): Gen<PyValue> {
    const [callee, ...rawArgs] = e.call as [string, ...unknown[]];
    if (typeof callee !== 'string') throw new ScenarioError(`callee must be a name, got ${JSON.stringify(callee)}`);
    if (callee.startsWith('$')) {
      const parts = callee.slice(1).split('.');
      let target = this.lookup(parts[0], frame);
      for (const a of parts.slice(1, -1)) target = this.getAttr(target, a);
      const args = yield* this.evalArgs(rawArgs, frame);
      const kwargs = yield* this.evalKwargs(e.kwargs, frame);
      if (parts.length === 1) return yield* this.withTemporaries(args, kwargs, true, () => this.call(target, args, kwargs, frame));
      const method = parts[parts.length - 1];
      return yield* this.withTemporaries(args, kwargs, true, () => this.callMethod(target, method, args, kwargs, frame));
    }
    const args = yield* this.evalArgs(rawArgs, frame);
    const kwargs = yield* this.evalKwargs(e.kwargs, frame);
    const fn = this.functions.get(callee) ?? this.builtins.get(callee);
    const keeps = !(fn instanceof PyBuiltin && PURE_BUILTINS.has(callee));
    if (fn) return yield* this.withTemporaries(args, kwargs, keeps, () => this.call(fn, args, kwargs, frame));
    return yield* this.withTemporaries(args, kwargs, true, () => this.suspendable(this.session.call(callee, args, kwargs)));
  }

  /** `{gather: [a, b], return_exceptions: true}` → `asyncio.gather(a, b, return_exceptions=True)`. */
  private *evalAsyncio(op: string, e: Record<string, any>, frame: Frame): Gen<PyValue> {
    const raw = e[op];
    const args = yield* this.evalArgs(Array.isArray(raw) ? raw : [raw], frame);
    const kwargs: Kwargs = {};
    for (const k of Object.keys(e)) if (k !== op) kwargs[k] = yield* this.eval(e[k], frame);
    const keeps = !PURE_ASYNCIO.has(op);
    return yield* this.withTemporaries(args, kwargs, keeps, () => this.suspendable(this.session.call(`asyncio.${op}`, args, kwargs)));
  }

  /** A name that is bound nowhere (not local, global or builtin): the root of a dotted library name. */
  private isUnbound(name: string, frame: Frame): boolean {
    let f = frame;
    while (f.kind === 'comprehension') {
      if (f.locals.has(name)) return false;
      f = f.outer!;
    }
    if (f.scope && f.scope.locals.has(name)) return false;
    return !this.globals.has(name) && !this.builtins.has(name);
  }

  /** `asyncio.iscoroutine` from an attribute chain on an unbound root; undefined otherwise. */
  private dottedName(node: FieldNode, frame: Frame): string | undefined {
    if (node.k === 'name') return this.isUnbound(node.id, frame) ? node.id : undefined;
    if (node.k === 'attr') {
      const base = this.dottedName(node.obj, frame);
      return base === undefined ? undefined : `${base}.${node.name}`;
    }
    return undefined;
  }

  /** Evaluates an f-string field expression (fieldexpr.ts) with the semantics of the matching forms. */
  private *evalField(node: FieldNode, frame: Frame): Gen<PyValue> {
    switch (node.k) {
      case 'name':
        return this.lookup(node.id, frame);
      case 'const':
        return node.v as PyValue;
      case 'attr': {
        const dotted = this.dottedName(node, frame);
        if (dotted !== undefined) return this.classByName(dotted);
        return this.getAttr(yield* this.evalField(node.obj, frame), node.name);
      }
      case 'call': {
        const args: PyValue[] = [];
        for (const a of node.args) args.push(yield* this.evalField(a, frame));
        const fn = node.fn;
        if (fn.k === 'name' && this.isUnbound(fn.id, frame)) {
          const f = this.functions.get(fn.id);
          if (f) return yield* this.call(f, args, {}, frame);
          return yield* this.suspendable(this.session.call(fn.id, args, {}));
        }
        if (fn.k === 'attr') {
          const dotted = this.dottedName(fn, frame);
          if (dotted !== undefined) return yield* this.suspendable(this.session.call(dotted, args, {}));
          return yield* this.callMethod(yield* this.evalField(fn.obj, frame), fn.name, args, {}, frame);
        }
        return yield* this.call(yield* this.evalField(fn, frame), args, {}, frame);
      }
      case 'item': {
        const obj = yield* this.evalField(node.obj, frame);
        return this.getItem(obj, yield* this.evalField(node.index, frame));
      }
      case 'slice': {
        const obj = yield* this.evalField(node.obj, frame);
        const lo = node.lo ? yield* this.evalField(node.lo, frame) : null;
        const hi = node.hi ? yield* this.evalField(node.hi, frame) : null;
        return this.getSlice(obj, lo, hi);
      }
      case 'bin': {
        const a = yield* this.evalField(node.a, frame);
        return this.binary(node.op, a, yield* this.evalField(node.b, frame));
      }
      case 'cmp': {
        // Chained comparisons: a < b < c is (a < b) and (b < c), each operand evaluated once.
        let left = yield* this.evalField(node.xs[0], frame);
        for (let i = 0; i < node.ops.length; i++) {
          const right = yield* this.evalField(node.xs[i + 1], frame);
          const op = CMP_OPS[node.ops[i]];
          const r = this.binary(op, left, right);
          if (!this.truthy(r)) return r;
          if (i === node.ops.length - 1) return r;
          left = right;
        }
        return true;
      }
      case 'not':
        return !this.truthy(yield* this.evalField(node.x, frame));
      case 'neg':
        return negate(yield* this.evalField(node.x, frame), this);
      case 'and':
      case 'or': {
        let v: PyValue = node.k === 'and';
        for (const x of node.xs) {
          v = yield* this.evalField(x, frame);
          if (this.truthy(v) !== (node.k === 'and')) return v;
        }
        return v;
      }
      case 'ifelse':
        return yield* this.evalField(this.truthy(yield* this.evalField(node.cond, frame)) ? node.a : node.b, frame);
      case 'list':
      case 'tuple': {
        const xs: PyValue[] = [];
        for (const x of node.xs) xs.push(yield* this.evalField(x, frame));
        return node.k === 'list' ? new PyList(xs) : new PyTuple(xs);
      }
    }
  }

  private *evalComprehension(e: Record<string, any>, frame: Frame): Gen<PyValue> {
    const iterable = yield* this.eval(e.in, frame);
    const scope = new Frame(null, 'comprehension', undefined, frame);
    this.live.add(scope);
    try {
      const out: PyValue[] = [];
      for (const item of this.iterate(iterable)) {
        yield* this.assign(e.for, item, scope);
        if (e.if !== undefined && !this.truthy(yield* this.eval(e.if, scope))) continue;
        out.push(yield* this.eval(e.comp, scope));
      }
      return new PyList(out);
    } finally {
      this.live.delete(scope);
    }
  }
}

