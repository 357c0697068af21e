/**
 * Coroutines: `async def` as generator functions.
 *
 *     const main = asyncDef(function* main() {
 *       yield* sleep(1);          // await asyncio.sleep(1)
 *       const r = yield* child(); // await child()
 *       return r;
 *     });
 *
 * Invariants:
 * - Calling a coroutine function runs nothing and schedules nothing; it
 *   returns a `Coroutine` in state CORO_CREATED.
 * - A Coroutine is its own awaitable iterator (`yield* coro` awaits it
 *   inline, like `await coro`), driven through next/throw only. Exceptions
 *   are delivered by `throw` (CancelledError, GeneratorExit from close()),
 *   never by JS `return()`, so try/except/finally inside a coroutine behaves
 *   exactly like Python's.
 * - States follow inspect.getcoroutinestate: CREATED -> RUNNING <->
 *   SUSPENDED -> CLOSED; a closed coroutine refuses to run again
 *   ('cannot reuse already awaited coroutine'); a coroutine suspended inside
 *   an await refuses a second awaiter ('coroutine is being awaited already').
 * - `cr_await` is what the coroutine is suspended on (a Coroutine or a
 *   Future), maintained by the awaited object itself. It uses one piece of
 *   transient module state, `running` (the innermost coroutine executing
 *   right now); it is restored on every exit, so it is null whenever no
 *   coroutine is on the JS stack and never carries state between runtimes.
 * - JS has no refcounting: where CPython would destroy a never-started
 *   coroutine, the interpreter calls `dropUnawaited(warnings)`, which emits
 *   RuntimeWarning "coroutine 'X' was never awaited".
 * - Legacy generator-based coroutines (`@asyncio.coroutine`, 3.7-3.10) are
 *   Coroutines of kind 'generator'; they never warn when dropped.
 */

import {
  AttributeError, BaseException, GeneratorExit, RuntimeError, RuntimeWarning, StopIteration, TypeError, ValueError,
  ExceptionClass, DeprecationWarning,
} from './exceptions';
import type { WarningsChannel } from './warnings';
import type { Profile } from './versions';

export type CoroState = 'CORO_CREATED' | 'CORO_RUNNING' | 'CORO_SUSPENDED' | 'CORO_CLOSED';

/** The generator a coroutine body is written as. */
export type CoroBody<R = unknown> = Generator<unknown, R, unknown>;

/** One frame of the frame model used by Task.get_stack()/print_stack(). */
export interface Frame {
  /** co_name of the coroutine (the plain name: a method shows as `__aexit__`, not `TaskGroup.__aexit__`). */
  readonly name: string;
  readonly filename: string;
  /** The current line if the interpreter reports one, else co_firstlineno. */
  readonly lineno: number;
}

/** A traceback in the frame model: outermost first, as tb_next runs. */
export interface Traceback {
  readonly frames: Frame[];
}

/** Where a coroutine function was defined (the interpreter may supply it). */
export interface CodeInfo {
  name?: string;
  qualname?: string;
  filename?: string;
  firstlineno?: number;
}

// Transient: the innermost Coroutine whose generator is executing. See file head.
let running: Coroutine<unknown> | null = null;

/** The coroutine currently executing (innermost), or null. */
export function currentCoroutine(): Coroutine<unknown> | null {
  return running;
}

/** What Coroutine._resumeOrRaise returns when the body raised (see takeRaised). */
export const RAISED: unique symbol = Symbol('RAISED');
// Transient: the exception behind the last RAISED, until taken.
let raisedValue: unknown = undefined;

/** The exception behind the RAISED just returned by _resumeOrRaise (clears it). */
export function takeRaised(): unknown {
  const e = raisedValue;
  raisedValue = undefined;
  return e;
}

const DONE_NONE: IteratorResult<unknown, unknown> = Object.freeze({ done: true, value: null }) as IteratorResult<unknown, unknown>;

/**
 * What every coroutine of one coroutine function shares (CPython keeps it in
 * the code object): created once per function, so a coroutine object costs
 * its generator and six fields.
 */
export interface CoroCode {
  readonly name: string;
  readonly qualname: string;
  /** 'async' for `async def`; 'generator' for @asyncio.coroutine / types.coroutine generators. */
  readonly kind: 'async' | 'generator';
  readonly filename: string;
  readonly firstlineno: number;
}

/** A coroutine object (types.CoroutineType), or a legacy generator-based one. */
export class Coroutine<R = unknown> implements Iterator<unknown, R, unknown>, Iterable<unknown> {
  state: CoroState = 'CORO_CREATED';
  /** What this coroutine is suspended on (cr_await / gi_yieldfrom), or null. */
  cr_await: unknown = null;
  /** The coroutine that is awaiting this one via yield*, if any. */
  private awaitedBy: Coroutine<unknown> | null = null;
  /** Current line, when the interpreter reports it (frame model). */
  lineno: number | null = null;
  readonly code: CoroCode;

  constructor(gen: CoroBody<R>, code: CoroCode);
  constructor(gen: CoroBody<R>, name: string, qualname?: string, kind?: 'async' | 'generator', filename?: string, firstlineno?: number);
  constructor(
    /** The body; dropped once closed, so a finished task keeps no generator (or its frame) alive. */
    private gen: CoroBody<R> | null,
    code: CoroCode | string,
    qualname?: string,
    kind: 'async' | 'generator' = 'async',
    filename = '<unknown>',
    firstlineno = 0,
  ) {
    this.code = typeof code === 'string'
      ? { name: code, qualname: qualname ?? code, kind, filename, firstlineno }
      : code;
  }

  get __name__(): string { return this.code.name; }
  get __qualname__(): string { return this.code.qualname; }
  get kind(): 'async' | 'generator' { return this.code.kind; }
  get co_filename(): string { return this.code.filename; }
  get co_firstlineno(): number { return this.code.firstlineno; }

  get cr_running(): boolean { return this.state === 'CORO_RUNNING'; }
  /** The frame while not closed (cr_frame is None once closed). */
  get cr_frame(): Frame | null {
    if (this.state === 'CORO_CLOSED') return null;
    return { name: this.__name__, filename: this.co_filename, lineno: this.lineno ?? this.co_firstlineno };
  }

  // -- the iterator protocol used by `yield*` (await) --------------------

  [Symbol.iterator](): this {
    if (this.state === 'CORO_SUSPENDED' && this.cr_await !== null) {
      // CPython: _PyCoro_GetAwaitableIter / GET_AWAITABLE
      throw new RuntimeError('coroutine is being awaited already');
    }
    const outer = running;
    if (outer !== null) {
      outer.cr_await = this;
      this.awaitedBy = outer;
    }
    return this;
  }

  next(value?: unknown): IteratorResult<unknown, R> {
    return this._resume(false, value) as IteratorResult<unknown, R>;
  }

  throw(exc?: unknown): IteratorResult<unknown, R> {
    return this._resume(true, exc) as IteratorResult<unknown, R>;
  }

  /** JS `return()` is never used for cancellation; it closes like Python's close(). */
  return(value?: unknown): IteratorResult<unknown, R> {
    this.close();
    return { done: true, value: value as R };
  }

  /**
   * Run the body until it yields or ends. The low-level step used by Task
   * and by `yield*`: returns {done:false, value: yielded} or
   * {done:true, value: returned}; exceptions propagate.
   */
  _resume(isThrow: boolean, value: unknown): IteratorResult<unknown, unknown> {
    const r = this._resumeOrRaise(isThrow, value);
    if (r === RAISED) throw takeRaised();
    return r;
  }

  /**
   * _resume without the rethrow: an exception escaping the body is returned
   * as RAISED, with the exception left for takeRaised() (the caller must
   * take it at once). Task's step uses this, so a failing or cancelled
   * step costs one JS throw (inside the body) instead of two. Refusals
   * before the body runs (already executing, reuse, ...) still throw.
   */
  _resumeOrRaise(isThrow: boolean, value: unknown): IteratorResult<unknown, unknown> | typeof RAISED {
    if (this.state === 'CORO_RUNNING') {
      throw new ValueError(this.kind === 'async' ? 'coroutine already executing' : 'generator already executing');
    }
    if (this.state === 'CORO_CLOSED') {
      if (isThrow) throw value; // throw() into a closed coroutine re-raises
      if (this.kind === 'async') throw new RuntimeError('cannot reuse already awaited coroutine');
      this.detach();
      return DONE_NONE; // an exhausted generator: StopIteration(None)
    }
    if (this.state === 'CORO_CREATED' && !isThrow && value !== undefined && value !== null) {
      throw new TypeError(`can't send non-None value to a just-started ${this.kind === 'async' ? 'coroutine' : 'generator'}`);
    }
    const prev = running;
    running = this;
    this.state = 'CORO_RUNNING';
    let r: IteratorResult<unknown, R>;
    try {
      const gen = this.gen!;
      if (isThrow) {
        // Thrown in where this coroutine is suspended: on a future or a bare
        // yield its own frame takes it in; on a coroutine, that one does.
        if (!(this.cr_await instanceof Coroutine)) tracebackEnters(value, this);
        r = gen.throw(value);
      } else {
        r = gen.next(value);
      }
    } catch (e) {
      this.state = 'CORO_CLOSED';
      this.gen = null;
      this.cr_await = null;
      running = prev;
      const outer = this.awaitedBy;
      this.detach();
      if (e instanceof BaseException) {
        tracebackLeaves(e, this);
        // It goes on into the coroutine awaiting this one (`yield*`).
        if (outer !== null) recordFrame(e, outer, true);
      }
      raisedValue = e;
      return RAISED;
    }
    running = prev;
    if (r.done) {
      this.state = 'CORO_CLOSED';
      this.gen = null;
      this.cr_await = null;
      this.detach();
      if (r.value === undefined) return DONE_NONE;
    } else {
      this.state = 'CORO_SUSPENDED';
    }
    return r;
  }

  private detach(): void {
    const outer = this.awaitedBy;
    if (outer !== null) {
      if (outer.cr_await === this) outer.cr_await = null;
      this.awaitedBy = null;
    }
  }

  // -- Python's coroutine methods ----------------------------------------

  /** coro.send(value): the yielded value; raises StopIteration(value) when the coroutine returns. */
  send(value: unknown = null): unknown {
    const r = this._resume(false, value);
    if (r.done) throw new StopIteration(...(r.value === null ? [] : [r.value]));
    return r.value;
  }

  /** coro.throw(exc): throw exc at the suspension point; like send() for the outcome. */
  throwInto(exc: BaseException | ExceptionClass): unknown {
    const e = typeof exc === 'function' ? new exc() : exc;
    const r = this._resume(true, e);
    if (r.done) throw new StopIteration(...(r.value === null ? [] : [r.value]));
    return r.value;
  }

  /** coro.close(): throw GeneratorExit in; refuse a coroutine that keeps running. */
  close(): void {
    if (this.state === 'CORO_CLOSED') return;
    if (this.state === 'CORO_CREATED') {
      // Never started: nothing to unwind, no "never awaited" warning later.
      this.state = 'CORO_CLOSED';
      this.gen = null;
      return;
    }
    let r: IteratorResult<unknown, unknown>;
    try {
      r = this._resume(true, new GeneratorExit());
    } catch (e) {
      if (e instanceof GeneratorExit || e instanceof StopIteration) return;
      throw e;
    }
    if (!r.done) {
      throw new RuntimeError(this.kind === 'async' ? 'coroutine ignored GeneratorExit' : 'generator ignored GeneratorExit');
    }
  }

  /**
   * The point where CPython's refcount would free this coroutine: if it was
   * never started, emit RuntimeWarning "coroutine 'X' was never awaited"
   * (_PyErr_WarnUnawaitedCoroutine). Closes it either way.
   */
  dropUnawaited(warnings: WarningsChannel): void {
    if (this.state === 'CORO_CREATED' && this.kind === 'async') {
      warnings.warn(`coroutine '${this.__qualname__}' was never awaited`, RuntimeWarning as unknown as ExceptionClass);
    }
    this.state = 'CORO_CLOSED';
    this.gen = null;
  }

  __repr__(): string {
    // CPython: <coroutine object main at 0x7f...>; addresses are not reproducible.
    return this.kind === 'async'
      ? `<coroutine object ${this.__qualname__}>`
      : `<generator object ${this.__qualname__}>`;
  }
}

/**
 * One entry of a traceback, as CPython's traceback object: the coroutine
 * whose frame the exception passed through, and the entries it passed
 * through before (`next`, inward, like tb_next). Immutable, so a traceback
 * saved and restored later (a future's, 3.10+) is never changed by entries
 * added after it. Lines are read when the frames are: get_stack() gives
 * frame objects, whose f_lineno is where the coroutine is now, or where it
 * ended.
 */
class CoroutineTraceback implements Traceback {
  constructor(
    readonly coro: Coroutine<unknown>,
    /** The exception came in from an await, so the frame is already recorded when it leaves. */
    readonly entered: boolean,
    readonly next: unknown,
  ) {}

  /** Outermost first, as tb_next runs. */
  get frames(): Frame[] {
    const frames: Frame[] = [];
    let tb: unknown = this;
    for (; tb instanceof CoroutineTraceback; tb = tb.next) {
      const coro = tb.coro;
      frames.push({ name: coro.__name__, filename: coro.co_filename, lineno: coro.lineno ?? coro.co_firstlineno });
    }
    // A traceback somebody else made (with_traceback) is the innermost part.
    if (tb !== null && typeof tb === 'object' && Array.isArray((tb as Traceback).frames)) frames.push(...(tb as Traceback).frames);
    return frames;
  }
}

function recordFrame(e: BaseException, coro: Coroutine<unknown>, entered: boolean): void {
  e.__traceback__ = new CoroutineTraceback(coro, entered, e.__traceback__ ?? null);
}

/**
 * `e` comes into `coro` from what it awaits (a coroutine or a future that
 * raised, or an exception thrown in at the await): CPython records the
 * frame there, so a coroutine that catches the exception appears in its
 * traceback too.
 */
export function tracebackEnters(e: unknown, coro: Coroutine<unknown> | null): void {
  if (coro !== null && e instanceof BaseException) recordFrame(e, coro, true);
}

/** `e` leaves `coro`: recorded unless it came in from an await (see tracebackEnters). */
function tracebackLeaves(e: BaseException, coro: Coroutine<unknown>): void {
  const tb = e.__traceback__;
  if (tb instanceof CoroutineTraceback && tb.coro === coro && tb.entered) return;
  recordFrame(e, coro, false);
}

/** A coroutine function: `async def name(...)`. */
export interface CoroutineFunction<A extends unknown[] = any[], R = unknown> {
  (...args: A): Coroutine<R>;
  readonly __name__: string;
  readonly __qualname__: string;
  /** 'async': async def; 'generator': @asyncio.coroutine-decorated generator function. */
  readonly coroutineKind: 'async' | 'generator';
  /** asyncio.coroutines._is_coroutine marker (set on decorated generator functions). */
  readonly _is_coroutine?: boolean;
}

/**
 * `async def`: turn a generator function into a coroutine function. The
 * name defaults to the generator function's name.
 */
export function asyncDef<A extends unknown[], R>(
  body: (this: any, ...args: A) => CoroBody<R>,
  code: CodeInfo = {},
): CoroutineFunction<A, R> {
  return makeCoroutineFunction(body, code, 'async');
}

function makeCoroutineFunction<A extends unknown[], R>(
  body: (this: any, ...args: A) => CoroBody<R>,
  code: CodeInfo,
  kind: 'async' | 'generator',
): CoroutineFunction<A, R> {
  const name = code.name ?? (body.name || '<lambda>');
  const qualname = code.qualname ?? name;
  const shared: CoroCode = { name, qualname, kind, filename: code.filename ?? '<unknown>', firstlineno: code.firstlineno ?? 0 };
  // `arguments` rather than a rest parameter: V8 passes it to apply()
  // without building an array per call.
  const fn = function (this: unknown): Coroutine<R> {
    // eslint-disable-next-line prefer-rest-params
    return new Coroutine<R>(body.apply(this, arguments as unknown as A), shared);
  };
  Object.defineProperty(fn, 'name', { value: name });
  Object.defineProperty(fn, '__name__', { value: name });
  Object.defineProperty(fn, '__qualname__', { value: qualname });
  Object.defineProperty(fn, 'coroutineKind', { value: kind });
  if (kind === 'generator') Object.defineProperty(fn, '_is_coroutine', { value: true });
  return fn as unknown as CoroutineFunction<A, R>;
}

/**
 * `@asyncio.coroutine` (3.7-3.10): mark a generator function as a
 * generator-based coroutine. 3.8-3.10 warn at decoration (bpo-36921); 3.11
 * removed it (callers should check `profile.coroutineDecorator`).
 * An already-async function is returned unchanged, as CPython does.
 */
export function legacyCoroutine<A extends unknown[], R>(
  profile: Profile,
  warnings: WarningsChannel,
  func: ((...args: A) => CoroBody<R>) | CoroutineFunction<A, R>,
  code: CodeInfo = {},
): CoroutineFunction<A, R> {
  if (profile.coroutineDecorator === 'removed') {
    throw new AttributeError("module 'asyncio' has no attribute 'coroutine'");
  }
  if (profile.coroutineDecorator === 'deprecated') {
    warnings.warn('"@coroutine" decorator is deprecated since Python 3.8, use "async def" instead',
      DeprecationWarning as unknown as ExceptionClass);
  }
  if (isCoroutineFunctionObject(func) && func.coroutineKind === 'async') return func as CoroutineFunction<A, R>;
  return makeCoroutineFunction(func as (...args: A) => CoroBody<R>, code, 'generator');
}

function isCoroutineFunctionObject(f: unknown): f is CoroutineFunction {
  return typeof f === 'function' && typeof (f as { coroutineKind?: unknown }).coroutineKind === 'string';
}

/** True for a JS generator object (a Python generator, for iscoroutine's purposes). */
export function isGenerator(obj: unknown): obj is Generator {
  return typeof obj === 'object' && obj !== null && typeof (obj as Generator).next === 'function'
    && typeof (obj as Generator).throw === 'function' && Object.prototype.toString.call(obj) === '[object Generator]';
}

/**
 * asyncio.iscoroutine(obj): coroutine objects; generator-based coroutines
 * and plain generators too before 3.12 (gh-102748 dropped generators).
 */
export function iscoroutine(obj: unknown, profile: Profile): boolean {
  if (obj instanceof Coroutine) return obj.kind === 'async' || profile.iscoroutineAcceptsGenerators;
  return profile.iscoroutineAcceptsGenerators && isGenerator(obj);
}

/** asyncio.iscoroutinefunction(fn): async def, or a function marked by @asyncio.coroutine. */
export function iscoroutinefunction(fn: unknown): boolean {
  return isCoroutineFunctionObject(fn) && (fn.coroutineKind === 'async' || fn._is_coroutine === true);
}

/** Wrap a raw JS generator as a generator-based coroutine (what Task drives). */
export function coroutineFromGenerator(gen: Generator, name?: string): Coroutine<unknown> {
  const n = name ?? 'generator';
  return new Coroutine(gen, n, n, 'generator');
}

/**
 * coroutines._format_coroutine: `main() running at FILE:LINE` or
 * `main() done, defined at FILE:LINE`. FILE/LINE come from the CodeInfo the
 * interpreter supplied ('<unknown>:0' otherwise): the one documented
 * deviation from CPython's text.
 */
export function formatCoroutine(coro: Coroutine<unknown>): string {
  const name = `${coro.__qualname__ || coro.__name__}()`;
  const frame = coro.cr_frame;
  if (frame !== null) return `${name} running at ${coro.co_filename}:${frame.lineno}`;
  return `${name} done, defined at ${coro.co_filename}:${coro.co_firstlineno}`;
}


