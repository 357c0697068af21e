/**
 * futures: asyncio.Future.
 *
 * Invariants (CPython futures.py, and the C `_asyncio.Future` whose messages
 * are the ones a real interpreter shows):
 * - State moves once: PENDING -> CANCELLED or PENDING -> FINISHED (with a
 *   result or an exception); never back.
 * - Done callbacks run through `loop.call_soon`, in registration order, each
 *   in the context it was registered with (a copy of the current context by
 *   default); a callback added to a done future is scheduled immediately.
 *   Callbacks are never called synchronously.
 * - `yield* fut` (Python `await fut`) yields the future itself with
 *   `_asyncio_future_blocking = true` if it is not done — that is the only
 *   way a Task learns what to wait for — then returns `result()`.
 * - How a cancellation message reaches result()/exception() depends on the
 *   version (`profile.cancelMessageStyle`): see `_make_cancelled_error`.
 * - An exception set and never retrieved is reported only through the
 *   explicit `__del__()` hook (JS has no refcounting).
 */

import { BaseException, ExceptionClass, RuntimeError, StopIteration, TypeError, ValueError, pyRepr, strRepr } from './exceptions';
import { currentCoroutine, tracebackEnters } from './coroutines';
import type { Coroutine } from './coroutines';
import type { AbstractEventLoop, Callback } from './events';
import { FutureCallbackHandle, formatCallback, get_event_loop } from './events';
import { Context, ContextOrCopy, contextOf, copyLater } from './contextvars';
import type { Runtime } from './events';

export type FutureState = 'PENDING' | 'CANCELLED' | 'FINISHED';

/** reprlib.repr with CPython's default limits (maxstring=30, maxlist=6), for Future reprs. */
export function reprlibRepr(value: unknown): string {
  if (typeof value === 'string') {
    return truncateMiddle(strRepr(value), 30);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.slice(0, 6).map(reprlibRepr);
    if (value.length > 6) items.push('...');
    return `[${items.join(', ')}]`;
  }
  // reprlib.Repr.repr_int and repr_instance: long reprs keep their two ends.
  if (typeof value === 'bigint') return truncateMiddle(pyRepr(value), 40);
  if (typeof value === 'number' || value instanceof Future) return truncateMiddle(pyRepr(value), 30);
  return pyRepr(value);
}

function truncateMiddle(s: string, max: number): string {
  if (s.length <= max) return s;
  const i = Math.max(0, Math.floor((max - 3) / 2));
  const j = Math.max(0, max - 3 - i);
  return s.slice(0, i) + '...' + s.slice(s.length - j);
}

/** base_futures._format_callbacks: `cb=[a(), b()]`, `cb=[a(), <N more>, z()]`. */
function formatCallbacks(cbs: ReadonlyArray<readonly [Callback, Context]>): string {
  const f = (cb: Callback) => formatCallback(cb, []);
  let s = '';
  if (cbs.length === 1) s = f(cbs[0][0]);
  else if (cbs.length === 2) s = `${f(cbs[0][0])}, ${f(cbs[1][0])}`;
  else if (cbs.length > 2) s = `${f(cbs[0][0])}, <${cbs.length - 2} more>, ${f(cbs[cbs.length - 1][0])}`;
  return `cb=[${s}]`;
}

/** asyncio.Future. */
/** Futures whose repr is being computed (base_futures._repr_running). */
const reprRunning = new Set<object>();

export class Future<T = unknown> implements Iterable<unknown> {
  _state: FutureState = 'PENDING';
  _result: T | null = null;
  _exception: BaseException | null = null;
  readonly _loop: AbstractEventLoop;
  /**
   * The done callbacks, in registration order: the first in its own two
   * fields (the C Future's fut_callback0/fut_context0), the rest in
   * `_callbacks` (null while there are none). While pending, `_callback0`
   * is null only when there are no callbacks at all.
   *
   * Once the future is done, no callback is registered any more (CPython
   * has handed them all to call_soon), and `_callback0`/`_context0` hold
   * the first one until the loop runs it: the future queues itself for it
   * (see _run) instead of a Handle, so the commonest completion, one
   * waiter, allocates nothing.
   */
  _callback0: Callback | null = null;
  _context0: ContextOrCopy | null = null;
  _callbacks: Array<readonly [Callback, ContextOrCopy]> | null = null;
  /** The exception's traceback as set_exception saw it, until the next raise (profile.futureExceptionTb). */
  _exception_tb: unknown = null;
  _cancel_message: unknown = null;
  /** A saved CancelledError for later chaining (3.9+). */
  _cancelled_exc: BaseException | null = null;
  /** See the file head; also the duck-typing marker of "is a future". */
  _asyncio_future_blocking = false;
  /** __log_traceback: an exception was set and not yet retrieved. */
  protected __log_traceback = false;

  /** Future(*, loop=None): the loop defaults to get_event_loop() of `runtime`. */
  constructor(options: { loop?: AbstractEventLoop | null; runtime?: Runtime } = {}) {
    if (options.loop) this._loop = options.loop;
    else if (options.runtime) this._loop = get_event_loop(options.runtime);
    else throw new TypeError('Future() needs a loop or a runtime');
  }

  get _log_traceback(): boolean {
    return this.__log_traceback;
  }
  set _log_traceback(val: boolean) {
    if (val) throw new ValueError('_log_traceback can only be set to False');
    this.__log_traceback = false;
  }

  protected get runtime(): Runtime {
    return this._loop.runtime;
  }

  /** Future.get_loop() (3.7). */
  get_loop(): AbstractEventLoop {
    return this._loop;
  }

  // -- repr ---------------------------------------------------------------

  /** base_futures._future_repr_info: the pieces of the repr. */
  _repr_info(): string[] {
    const info = [this._state.toLowerCase()];
    if (this._state === 'FINISHED') {
      if (this._exception !== null) info.push(`exception=${pyRepr(this._exception)}`);
      else if (this.runtime.profile.minor < 11 && reprRunning.has(this)) info.push('result=...');
      else {
        // bpo-42183 (3.8-3.10): a result that contains its own future (a
        // task returning current_task()) shows `...` for that result. 3.7
        // had no guard; it gets this one rather than an imitation of its
        // RecursionError path. From 3.11 the guard is on the whole repr.
        reprRunning.add(this);
        try {
          info.push(`result=${reprlibRepr(this._result)}`);
        } finally {
          reprRunning.delete(this);
        }
      }
    }
    if (this._state === 'PENDING' && this._callback0 !== null) info.push(formatCallbacks(this._callbackList()));
    return info;
  }

  __repr__(): string {
    // 3.11+: @reprlib.recursive_repr() on _future_repr/_task_repr: a repr
    // reached again while being computed is just `...`.
    if (this.runtime.profile.minor >= 11 && reprRunning.has(this)) return '...';
    return `<${this.constructor.name} ${this._repr_info().join(' ')}>`;
  }

  // -- cancellation ---------------------------------------------------------

  /**
   * Future._make_cancelled_error: the CancelledError result()/exception()
   * raise. 3.11+ re-raises the saved exception once (gh-31383); 3.9-3.10
   * build CancelledError(msg) chained to it; 3.7-3.8 a bare CancelledError.
   */
  _make_cancelled_error(): BaseException {
    const CancelledError = this.runtime.exceptions.CancelledError;
    const style = this.runtime.profile.cancelMessageStyle;
    if (style === 'none') return new CancelledError();
    if (style === 'saved' && this._cancelled_exc !== null) {
      const exc = this._cancelled_exc;
      this._cancelled_exc = null;
      return exc;
    }
    const exc = this._cancel_message === null || this._cancel_message === undefined
      ? new CancelledError() : new CancelledError(this._cancel_message);
    if (style === 'context') {
      exc.__context__ = this._cancelled_exc;
      this._cancelled_exc = null;
    }
    return exc;
  }

  /** Refuse cancel(msg) before 3.9 (cancel took no message). */
  protected checkCancelArgs(args: unknown[]): void {
    if (!this.runtime.profile.cancelMessage && args.length) throw this._cancelArgsError(args.length, false);
  }

  /**
   * What cancel() said before 3.9 when given a message, `positional`
   * arguments or a `msg=` keyword: the C method's words here; gather's
   * Python-level cancel(self) has its own.
   */
  _cancelArgsError(positional: number, keyword: boolean): TypeError {
    return new TypeError(keyword ? 'cancel() takes no keyword arguments' : `cancel() takes no arguments (${positional} given)`);
  }

  /**
   * Future.cancel(msg=None): if pending, become cancelled, schedule the
   * callbacks and return True; else return False.
   */
  cancel(...args: [] | [unknown]): boolean {
    this.checkCancelArgs(args);
    this.__log_traceback = false;
    if (this._state !== 'PENDING') return false;
    this._state = 'CANCELLED';
    this._cancel_message = args.length ? args[0] : null;
    this.__schedule_callbacks();
    return true;
  }

  /** Every registered callback with its context, in registration order. */
  _callbackList(): Array<readonly [Callback, Context]> {
    if (this._state !== 'PENDING' || this._callback0 === null) return [];
    const state = this.runtime.contexts;
    const list: Array<readonly [Callback, Context]> = [[this._callback0, contextOf(state, this._context0!)]];
    if (this._callbacks !== null) for (const [cb, c] of this._callbacks) list.push([cb, contextOf(state, c)]);
    return list;
  }

  private __schedule_callbacks(): void {
    if (this._callback0 === null) return;
    const callbacks = this._callbacks;
    this._callbacks = null;
    const loop = this._loop;
    if (this._mayQueueSelf()) {
      // The first stays in _callback0/_context0 (see there): queue the future.
      loop._call_soon_handle(this);
    } else {
      loop._call_soon_handle(this._takeReadyHandle());
    }
    if (callbacks !== null) {
      for (const [callback, ctx] of callbacks) loop._call_soon_handle(new FutureCallbackHandle(callback, this, loop, ctx));
    }
  }

  // -- the future as the ready item of its first callback (see ReadyItem) ---

  /** Whether the future can stand in the ready queue for its first callback (a Task cannot while its step may be queued). */
  protected _mayQueueSelf(): boolean {
    return true;
  }

  /** The scheduled callback is never cancelled: nobody else holds it. */
  get _cancelled(): boolean {
    return false;
  }

  /** True while the first done callback is queued (the future is in the ready queue for it). */
  get _callbackReady(): boolean {
    return this._callback0 !== null && this._state !== 'PENDING';
  }

  /**
   * The Handle CPython queued for the first callback, taken over from the
   * future (debug mode runs and names it like any other handle).
   */
  _takeReadyHandle(): FutureCallbackHandle {
    const handle = new FutureCallbackHandle(this._callback0!, this, this._loop, this._context0);
    this._callback0 = null;
    this._context0 = null;
    return handle;
  }

  /** Run the first done callback as its Handle would: in its context, exceptions to the loop's handler. */
  _run(): void {
    const cb = this._callback0!;
    const ctx = contextOf(this.runtime.contexts, this._context0!);
    this._callback0 = null;
    this._context0 = null;
    try {
      ctx._enter();
      try {
        cb(this);
      } finally {
        ctx._exit();
      }
    } catch (e) {
      new FutureCallbackHandle(cb, this, this._loop, ctx)._raised(e);
    }
  }

  cancelled(): boolean {
    return this._state === 'CANCELLED';
  }

  done(): boolean {
    return this._state !== 'PENDING';
  }

  /** Future.result(): the result, or raise the exception / CancelledError / InvalidStateError. */
  result(): T {
    if (this._state === 'CANCELLED') throw this._make_cancelled_error();
    if (this._state !== 'FINISHED') throw new this.runtime.exceptions.InvalidStateError('Result is not set.');
    this.__log_traceback = false;
    if (this._exception !== null) throw this._raising(this._exception);
    return this._result as T;
  }

  /** The exception about to be raised, its traceback put back as set_exception saw it, once (3.10+). */
  private _raising(exc: BaseException): BaseException {
    if (this.runtime.profile.futureExceptionTb) {
      exc.__traceback__ = this._exception_tb;
      this._exception_tb = null;
    }
    return exc;
  }

  /**
   * What result() would raise, returned instead of thrown (null when it
   * would return): the C task_wakeup's future_get_result, with result()'s
   * side effects (the exception counts as retrieved; a cancellation builds
   * its CancelledError). Only for a done future whose result() is this
   * class's own.
   */
  _result_exception(): BaseException | null {
    if (this._state === 'CANCELLED') return this._make_cancelled_error();
    this.__log_traceback = false;
    return this._exception === null ? null : this._raising(this._exception);
  }

  /** Future.exception(): the exception (or None) once done. */
  exception(): BaseException | null {
    if (this._state === 'CANCELLED') throw this._make_cancelled_error();
    if (this._state !== 'FINISHED') throw new this.runtime.exceptions.InvalidStateError('Exception is not set.');
    this.__log_traceback = false;
    return this._exception;
  }

  /** Future.add_done_callback(fn, *, context=None). */
  add_done_callback(fn: Callback, options: { context?: Context | null } = {}): void {
    if (this._state !== 'PENDING') {
      this._loop._call_soon_handle(new FutureCallbackHandle(fn, this, this._loop, options.context ?? null));
    } else {
      const ctx = options.context ?? copyLater(this.runtime.contexts);
      if (this._callback0 === null) {
        this._callback0 = fn;
        this._context0 = ctx;
      } else if (this._callbacks === null) {
        this._callbacks = [[fn, ctx] as const];
      } else {
        this._callbacks.push([fn, ctx] as const);
      }
    }
  }

  /** Future.remove_done_callback(fn): remove every registration of fn; return how many. */
  remove_done_callback(fn: Callback): number {
    if (this._state !== 'PENDING' || this._callback0 === null) return 0;
    // Filter the stored entries as they are: going through _callbackList()
    // would allocate a tuple per entry and turn every deferred context copy
    // into a new Context.
    let rest = this._callbacks;
    let removed = 0;
    if (rest !== null) {
      const kept = rest.filter((entry) => entry[0] !== fn);
      removed = rest.length - kept.length;
      if (removed) rest = kept;
    }
    if (this._callback0 === fn) {
      removed++;
      // Keep "_callback0 is null only when there are no callbacks": the first
      // remaining one moves up (order is unchanged).
      const first = rest !== null && rest.length ? rest.shift()! : null;
      this._callback0 = first === null ? null : first[0];
      this._context0 = first === null ? null : first[1];
    }
    if (removed) this._callbacks = rest !== null && rest.length ? rest : null;
    return removed;
  }

  /** Future.set_result(result). */
  set_result(result: T): void {
    if (this._state !== 'PENDING') throw new this.runtime.exceptions.InvalidStateError('invalid state');
    this._result = result;
    this._state = 'FINISHED';
    this.__schedule_callbacks();
  }

  /** Future.set_exception(exception): an instance or a class (instantiated). */
  set_exception(exception: unknown): void {
    if (this._state !== 'PENDING') throw new this.runtime.exceptions.InvalidStateError('invalid state');
    let exc: unknown = exception;
    if (typeof exc === 'function') exc = new (exc as ExceptionClass)();
    if (!(exc instanceof BaseException)) throw new TypeError('invalid exception object');
    if (exc instanceof StopIteration) {
      if (this.runtime.profile.minor >= 13) {
        // gh-96191 (3.13): wrap it instead of refusing it.
        const wrapped = new RuntimeError('StopIteration interacts badly with generators and cannot be raised into a Future');
        wrapped.__cause__ = exc;
        wrapped.__context__ = exc;
        exc = wrapped;
      } else {
        throw new TypeError('StopIteration interacts badly with generators and cannot be raised into a Future');
      }
    }
    this._exception = exc as BaseException;
    if (this.runtime.profile.futureExceptionTb) this._exception_tb = (exc as BaseException).__traceback__;
    this._state = 'FINISHED';
    this.__schedule_callbacks();
    this.__log_traceback = true;
  }

  /**
   * Where CPython's refcount would free the future: report an exception
   * that was never retrieved ('Future exception was never retrieved').
   */
  __del__(): void {
    if (!this.__log_traceback) return;
    this._loop.call_exception_handler({
      message: `${this.constructor.name} exception was never retrieved`,
      exception: this._exception!,
      future: this,
    });
  }

  /**
   * Future.__await__ / __iter__: `yield* fut`. A hand-written iterator with
   * exactly the generator semantics of
   *
   *     awaiter = currentCoroutine(); awaiter.cr_await = this
   *     try { if (!done) { blocking = true; yield this }
   *           if (!done) throw RuntimeError; return result() }
   *     finally { if (awaiter.cr_await === this) awaiter.cr_await = null }
   *
   * (lazy start, the finally on resume/throw/return), without a generator
   * object per await or the catch-and-rethrow of the finally when a
   * cancellation is thrown in.
   */
  [Symbol.iterator](): Generator<unknown, T, unknown> {
    return new FutureIter<T>(this) as unknown as Generator<unknown, T, unknown>;
  }
}

/** The iterator behind `yield* fut` (see Future[Symbol.iterator]). */
class FutureIter<T> {
  /** 0: not started; 1: suspended at the yield; 2: finished. */
  private st = 0;
  private awaiter: Coroutine<unknown> | null = null;
  constructor(private readonly fut: Future<T>) {}

  [Symbol.iterator](): this {
    return this;
  }

  private release(): void {
    const awaiter = this.awaiter;
    if (awaiter !== null) {
      if (awaiter.cr_await === this.fut) awaiter.cr_await = null;
      this.awaiter = null;
    }
  }

  /** Past the yield (or with nothing to wait for): finish with result(), running the finally. */
  private finish(): IteratorResult<unknown, T> {
    this.st = 2;
    const fut = this.fut;
    let value: T;
    try {
      if (!fut.done()) throw new RuntimeError("await wasn't used with future");
      value = fut.result(); // May raise too.
    } catch (e) {
      tracebackEnters(e, this.awaiter ?? currentCoroutine());
      throw e;
    } finally {
      this.release();
    }
    return { done: true, value };
  }

  next(_value?: unknown): IteratorResult<unknown, T> {
    const st = this.st;
    if (st === 1) return this.finish();
    if (st === 2) return { done: true, value: undefined as unknown as T };
    const awaiter = currentCoroutine();
    const fut = this.fut;
    if (awaiter !== null) {
      awaiter.cr_await = fut;
      this.awaiter = awaiter;
    }
    if (!fut.done()) {
      fut._asyncio_future_blocking = true;
      this.st = 1;
      return { done: false, value: fut }; // This tells Task to wait for completion.
    }
    return this.finish();
  }

  throw(exc?: unknown): IteratorResult<unknown, T> {
    // The awaiting coroutine recorded the exception's entry (Coroutine._resumeOrRaise).
    if (this.st === 1) this.release();
    this.st = 2;
    throw exc;
  }

  return(value?: unknown): IteratorResult<unknown, T> {
    if (this.st === 1) this.release();
    this.st = 2;
    return { done: true, value: value as T };
  }
}

/** asyncio.isfuture(obj): has a non-null `_asyncio_future_blocking` (duck typing, as CPython). */
export function isfuture(obj: unknown): obj is Future<unknown> {
  return typeof obj === 'object' && obj !== null
    && (obj as { _asyncio_future_blocking?: unknown })._asyncio_future_blocking !== undefined
    && (obj as { _asyncio_future_blocking?: unknown })._asyncio_future_blocking !== null;
}

/** futures._get_loop(fut). */
export function _get_loop(fut: Future<unknown>): AbstractEventLoop {
  return fut.get_loop();
}

// ---------------------------------------------------------------------------
// Chaining with concurrent.futures.Future (used by wrap_future,
// run_in_executor and run_coroutine_threadsafe)
// ---------------------------------------------------------------------------

/** The part of concurrent.futures.Future that chaining uses (the threads helper implements it). */
export interface ConcurrentFutureLike {
  done(): boolean;
  cancelled(): boolean;
  cancel(): boolean;
  result(timeout?: number | null): unknown;
  exception(timeout?: number | null): BaseException | null;
  add_done_callback(fn: (f: any) => void): void;
  set_running_or_notify_cancel(): boolean;
  set_result(r: unknown): void;
  set_exception(e: BaseException): void;
}

/**
 * futures._convert_future_exc (3.8+): concurrent.futures exceptions become
 * asyncio ones. 3.7 has no such step: its CancelledError and TimeoutError
 * are concurrent.futures' own, and the exception object is passed on as is.
 * 3.13 passes TimeoutError on as is too (it is the builtin on both sides)
 * and gives a converted exception the original's traceback
 * (reference/test/cpython/cfs.py).
 */
export function _convert_future_exc(runtime: Runtime, exc: BaseException): BaseException {
  const minor = runtime.profile.minor;
  if (minor < 8) return exc;
  const x = runtime.exceptions;
  const cls = exc.constructor as ExceptionClass;
  let converted: BaseException;
  if (cls === x.ConcurrentCancelledError) converted = new x.CancelledError(...exc.args);
  else if (cls === x.ConcurrentTimeoutError && minor < 13) converted = new x.TimeoutError(...exc.args);
  else if (cls === x.ConcurrentInvalidStateError) converted = new x.InvalidStateError(...exc.args);
  else return exc;
  if (minor >= 13) converted.__traceback__ = exc.__traceback__;
  return converted;
}

function _set_concurrent_future_state(runtime: Runtime, concurrent: ConcurrentFutureLike, source: Future<unknown>): void {
  if (source.cancelled()) concurrent.cancel();
  if (!concurrent.set_running_or_notify_cancel()) return;
  const exception = source.exception();
  if (exception !== null) concurrent.set_exception(_convert_future_exc(runtime, exception));
  else concurrent.set_result(source.result());
}

function _copy_future_state(runtime: Runtime, source: Future<unknown> | ConcurrentFutureLike, dest: Future<unknown>): void {
  if (dest.cancelled()) return;
  if (source.cancelled()) {
    dest.cancel();
  } else {
    const exception = source.exception();
    if (exception !== null && exception !== undefined) dest.set_exception(_convert_future_exc(runtime, exception));
    else dest.set_result(source.result());
  }
}

/**
 * futures._chain_future(source, destination): copy the outcome of one
 * future to the other (across loops/threads via call_soon_threadsafe), and
 * propagate cancellation of the destination back to the source.
 */
export function _chain_future(runtime: Runtime, source: Future<unknown> | ConcurrentFutureLike, destination: Future<unknown> | ConcurrentFutureLike): void {
  const sourceLoop = isfuture(source) ? source._loop : null;
  const destLoop = isfuture(destination) ? destination._loop : null;
  const setState = (future: Future<unknown> | ConcurrentFutureLike, other: any) => {
    if (isfuture(future)) _copy_future_state(runtime, other, future);
    else _set_concurrent_future_state(runtime, future, other);
  };
  const callCheckCancel = (dest: { cancelled(): boolean }) => {
    if (dest.cancelled()) {
      if (sourceLoop === null || sourceLoop === destLoop) source.cancel();
      else sourceLoop.call_soon_threadsafe(() => source.cancel());
    }
  };
  const callSetState = (src: unknown) => {
    if (destination.cancelled() && destLoop !== null && destLoop.is_closed()) return;
    if (destLoop === null || destLoop === sourceLoop) setState(destination, src);
    else {
      if (runtime.profile.minor >= 10 && destLoop.is_closed()) return;
      destLoop.call_soon_threadsafe(setState, [destination, src]);
    }
  };
  (destination as Future<unknown>).add_done_callback(callCheckCancel as Callback);
  (source as Future<unknown>).add_done_callback(callSetState as Callback);
}

/** asyncio.wrap_future(future, *, loop=None): an asyncio Future mirroring a concurrent one. */
export function wrap_future(runtime: Runtime, future: Future<unknown> | ConcurrentFutureLike, loop: AbstractEventLoop | null = null): Future<unknown> {
  if (isfuture(future)) return future;
  const l = loop ?? get_event_loop(runtime);
  const newFuture = l.create_future() as Future<unknown>;
  _chain_future(runtime, future, newFuture);
  return newFuture;
}

/** futures._set_result_unless_cancelled(fut, result): sleep()'s timer callback. */
export function _set_result_unless_cancelled(fut: Future<unknown>, result: unknown): void {
  if (fut.cancelled()) return;
  fut.set_result(result);
}
Object.defineProperty(_set_result_unless_cancelled, '__qualname__', { value: '_set_result_unless_cancelled' });
