/**
 * base_events: the event loop (BaseEventLoop), on an injected clock and
 * idle hook.
 *
 * Invariants:
 * - `_run_once` is the only place where callbacks are actually called. Each
 *   iteration: drop cancelled timers at the head of the heap (or rebuild the
 *   heap when more than half of >100 timers are cancelled), compute the
 *   select timeout (0 if anything is ready or the loop is stopping, else
 *   `min(max(0, when - time()), 86400)`, else None), block ONCE in the idle
 *   hook (even with timeout 0: that is where threads run), move every timer
 *   due before `time() + clock_resolution` to the ready queue, then run
 *   exactly the handles that were ready at that point, FIFO. Callbacks
 *   scheduled by those handles wait for the next iteration.
 * - Timers live in a heap ordered by deadline only (heapq.ts), so equal
 *   deadlines fire in CPython's (unstable) heap order.
 * - The clock moves only inside the idle hook, by exactly the timeout
 *   CPython would pass to select().
 * - At most one loop runs per thread (`runtime.thread.runningLoop`).
 */

import type { Context } from './contextvars';
import { asyncDef, Coroutine, iscoroutine, iscoroutinefunction } from './coroutines';
import {
  AbstractEventLoop, Callback, ExceptionContext, ExceptionHandler, Executor, Handle, ReadyItem, Runtime, TaskFactory, TimerHandle,
  _get_running_loop, _set_running_loop, formatCallback, named, timerLess,
  handledByLoop,
} from './events';
import { AssertionError, BaseException, NotImplementedError, RuntimeError, TypeError, pyRepr, qualifiedTypeName } from './exceptions';
import { Future, isfuture, wrap_future } from './futures';
import { heapify, heappop, heappush } from './heapq';
import { Task, TaskStepHandle, ensure_future, refusedTaskKeyword } from './tasks';

/** Maximum timeout passed to select to avoid OS limitations. */
export const MAXIMUM_SELECT_TIMEOUT = 24 * 3600;
/** Minimum number of _scheduled timer handles before cleanup of cancelled handles is performed. */
const _MIN_SCHEDULED_TIMER_HANDLES = 100;
/** Minimum fraction of _scheduled timer handles that are cancelled before cleanup is performed. */
const _MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;

/** The ready queue's smallest ring. */
const DEQUE_MIN = 16;

/**
 * A FIFO ready queue (collections.deque: append / popleft), as a ring buffer
 * of power-of-two size: neither end ever shifts the items, so a burst of
 * 100k ready callbacks costs one copy per doubling and no compaction.
 */
export class Deque<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(DEQUE_MIN);
  private head = 0;
  private size = 0;
  private mask = DEQUE_MIN - 1;
  get length(): number {
    return this.size;
  }
  append(x: T): void {
    if (this.size > this.mask) this.grow();
    this.items[(this.head + this.size) & this.mask] = x;
    this.size++;
  }
  popleft(): T {
    if (this.size === 0) throw new RangeError('pop from an empty deque');
    const x = this.items[this.head] as T;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    // Give a burst's memory back once it is drained.
    if (--this.size === 0 && this.mask >= 4096) this.clear();
    return x;
  }
  clear(): void {
    this.items = new Array<T | undefined>(DEQUE_MIN);
    this.head = 0;
    this.size = 0;
    this.mask = DEQUE_MIN - 1;
  }
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.size; i++) yield this.items[(this.head + i) & this.mask] as T;
  }
  private grow(): void {
    const old = this.items;
    const items = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.size; i++) items[i] = old[(this.head + i) & this.mask];
    this.items = items;
    this.head = 0;
    this.mask = items.length - 1;
  }
}

function _run_until_complete_cb(fut: Future<unknown>): void {
  if (!fut.cancelled()) {
    const exc = fut.exception();
    // Issue #22429: run_forever() already finished, no need to stop it.
    if (exc !== null && !handledByLoop(exc, fut.get_loop().runtime.profile)) return;
  }
  fut.get_loop().stop();
}
named('_run_until_complete_cb', _run_until_complete_cb as Callback);

/** base_events.BaseEventLoop (with the selector replaced by the runtime's idle hook). */
export class BaseEventLoop implements AbstractEventLoop {
  _closed = false;
  _stopping = false;
  readonly _ready = new Deque<ReadyItem>();
  _scheduled: TimerHandle[] = [];
  _default_executor: Executor | null = null;
  _executor_shutdown_called = false;
  _timer_cancelled_count = 0;
  _debug = false;
  /** Loops running "in" this thread id; null when not running. */
  _thread_running = false;
  _exception_handler: ExceptionHandler | null = null;
  _task_factory: TaskFactory | null = null;
  _current_handle: ReadyItem | null = null;
  /** tasks._current_tasks[self]: the task executing on this loop (see tasks._enter_task). */
  _current_task: Task<unknown> | null = null;
  /** In debug mode, log callbacks slower than this (seconds of virtual time). */
  slow_callback_duration = 0.1;
  readonly _clock_resolution: number;
  /** Set by call_soon_threadsafe: the self-pipe has been written. */
  private selfPipeWritten = false;
  private readonly wakeUp = () => this.selfPipeWritten;

  constructor(readonly runtime: Runtime, options: { debug?: boolean } = {}) {
    this._clock_resolution = runtime.clock.resolution;
    this._debug = options.debug ?? false;
  }

  /** The default executor slot (the threads helper fills it). */
  get executor(): Executor | null {
    return this._default_executor;
  }
  set executor(e: Executor | null) {
    this._default_executor = e;
  }

  __repr__(): string {
    return `<_UnixSelectorEventLoop running=${pyBool(this.is_running())} closed=${pyBool(this.is_closed())} debug=${pyBool(this.get_debug())}>`;
  }

  // -- futures and tasks ----------------------------------------------------

  /** loop.create_future(). */
  create_future(): Future<unknown> {
    return new Future({ loop: this });
  }

  /** loop.create_task(coro, *, name=None, context=None). */
  create_task(coro: Coroutine<unknown>, options: { name?: unknown; context?: Context | null } = {}): Future<unknown> {
    const refused = refusedTaskKeyword(this.runtime.profile, options);
    if (refused !== null) {
      // 3.10 names the method by its qualname.
      throw new TypeError(`${this.runtime.profile.minor === 10 ? 'BaseEventLoop.' : ''}create_task() got an unexpected keyword argument '${refused}'`);
    }
    this._check_closed();
    const name = options.name ?? null;
    const context = options.context ?? null;
    if (this._task_factory === null) {
      return new Task(coro, { loop: this, name, context });
    }
    const task = (context === null ? this._task_factory(this, coro) : this._task_factory(this, coro, { context })) as Future<unknown>;
    if (name !== null) (task as unknown as { set_name(n: unknown): void }).set_name(name);
    return task;
  }

  set_task_factory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== 'function') throw new TypeError('task factory must be a callable or None');
    this._task_factory = factory;
  }

  get_task_factory(): TaskFactory | null {
    return this._task_factory;
  }

  // -- running ----------------------------------------------------------------

  private _check_closed(): void {
    if (this._closed) throw new RuntimeError('Event loop is closed');
  }

  private _check_running(): void {
    if (this.is_running()) throw new RuntimeError('This event loop is already running');
    if (_get_running_loop(this.runtime) !== null) {
      throw new RuntimeError('Cannot run the event loop while another loop is running');
    }
  }

  /** loop.run_forever(): run _run_once until stop() is called. */
  run_forever(): void {
    this._check_closed();
    this._check_running();
    this._thread_running = true;
    const thread = this.runtime.thread;
    _set_running_loop(this.runtime, this);
    try {
      for (;;) {
        this._run_once();
        if (this._stopping) break;
      }
    } finally {
      this._stopping = false;
      this._thread_running = false;
      thread.runningLoop = null;
    }
  }

  /** loop.run_until_complete(future): run until the future (or coroutine, wrapped in a Task) is done. */
  run_until_complete(future: unknown): unknown {
    this._check_closed();
    this._check_running();
    const newTask = !isfuture(future);
    const fut = ensure_future(this.runtime, future, this);
    if (newTask) {
      // An exception is raised if the future didn't complete, so there
      // is no need to log the "destroy pending task" message.
      (fut as Task<unknown>)._log_destroy_pending = false;
    }
    fut.add_done_callback(_run_until_complete_cb as Callback);
    try {
      this.run_forever();
    } catch (e) {
      if (newTask && fut.done() && !fut.cancelled()) {
        // The coroutine raised a BaseException. Consume the exception
        // to not log a warning, the caller doesn't have access to the
        // local task.
        fut.exception();
      }
      throw e;
    } finally {
      fut.remove_done_callback(_run_until_complete_cb as Callback);
    }
    if (!fut.done()) throw new RuntimeError('Event loop stopped before Future completed.');
    return fut.result();
  }

  /** loop.stop(): stop after the current iteration. */
  stop(): void {
    this._stopping = true;
  }

  /** loop.close(): refuse while running; drop all callbacks; shut the executor down without waiting. */
  close(): void {
    if (this.is_running()) throw new RuntimeError('Cannot close a running event loop');
    if (this._closed) return;
    if (this._debug) this.runtime.logger.debug(`Close ${this.__repr__()}`);
    this._closed = true;
    this._ready.clear();
    this._scheduled = [];
    this._executor_shutdown_called = true;
    const executor = this._default_executor;
    if (executor !== null) {
      this._default_executor = null;
      executor.shutdown(false);
    }
  }

  is_closed(): boolean {
    return this._closed;
  }

  is_running(): boolean {
    return this._thread_running;
  }

  /** loop.time(): the injected clock. */
  time(): number {
    return this.runtime.clock.time();
  }

  // -- scheduling -------------------------------------------------------------

  /** loop.call_later(delay, callback, *args, context=None). */
  call_later(delay: number, callback: Callback, args: unknown[] = [], options: { context?: Context | null } = {}): TimerHandle {
    if (delay === null || delay === undefined) {
      if (this.runtime.profile.callLaterRejectsNone) throw new TypeError('delay must not be None');
      // 3.7-3.10: `self.time() + delay`
      throw new TypeError("unsupported operand type(s) for +: 'float' and 'NoneType'");
    }
    return this.call_at(this.time() + delay, callback, args, options);
  }

  /** loop.call_at(when, callback, *args, context=None). */
  call_at(when: number, callback: Callback, args: unknown[] = [], options: { context?: Context | null } = {}): TimerHandle {
    const noWhen = when === null || when === undefined;
    if (noWhen && this.runtime.profile.callLaterRejectsNone) throw new TypeError('when cannot be None');
    this._check_closed();
    if (this._debug) this._check_callback(callback, 'call_at');
    // 3.7-3.10: TimerHandle.__init__ asserts `when is not None`.
    if (noWhen) throw new AssertionError();
    const timer = new TimerHandle(when, callback, args, this, options.context ?? null);
    heappush(this._scheduled, timer, timerLess);
    timer._scheduled = true;
    return timer;
  }

  /** loop.call_soon(callback, *args, context=None): FIFO. */
  call_soon(callback: Callback, args: unknown[] = [], options: { context?: Context | null } = {}): Handle {
    this._check_closed();
    if (this._debug) this._check_callback(callback, 'call_soon');
    return this._call_soon(callback, args, options.context ?? null);
  }

  _call_soon(callback: Callback, args: unknown[], context: Context | null): Handle {
    const handle = new Handle(callback, args, this, context);
    this._ready.append(handle);
    return handle;
  }

  _call_soon_handle<H extends ReadyItem>(handle: H): H {
    // What futures and tasks schedule goes through call_soon on CPython, closed-loop check included.
    if (this._closed) this._check_closed();
    this._ready.append(handle);
    return handle;
  }

  /** loop.call_soon_threadsafe: call_soon, then wake the loop's select(). */
  call_soon_threadsafe(callback: Callback, args: unknown[] = [], options: { context?: Context | null } = {}): Handle {
    this._check_closed();
    if (this._debug) this._check_callback(callback, 'call_soon_threadsafe');
    const handle = this._call_soon(callback, args, options.context ?? null);
    this._write_to_self();
    return handle;
  }

  /** The self-pipe: satisfies a pending select() (see spec/VIRTUAL-TIME.md). */
  _write_to_self(): void {
    this.selfPipeWritten = true;
  }

  private _check_callback(callback: unknown, method: string): void {
    // coroutines.iscoroutine/iscoroutinefunction: generators count before 3.12.
    if (iscoroutine(callback, this.runtime.profile) || iscoroutinefunction(callback)) {
      throw new TypeError(`coroutines cannot be used with ${method}()`);
    }
    if (typeof callback !== 'function') {
      throw new TypeError(`a callable object was expected by ${method}(), got ${pyRepr(callback)}`);
    }
  }

  _timer_handle_cancelled(handle: TimerHandle): void {
    if (handle._scheduled) this._timer_cancelled_count += 1;
  }

  /**
   * One full iteration of the event loop: see the file head. This is the
   * only place where callbacks are actually called.
   */
  _run_once(): void {
    const schedCount = this._scheduled.length;
    if (schedCount > _MIN_SCHEDULED_TIMER_HANDLES &&
        this._timer_cancelled_count / schedCount > _MIN_CANCELLED_TIMER_HANDLES_FRACTION) {
      // Remove delayed calls that were cancelled if their number is too high.
      const newScheduled: TimerHandle[] = [];
      for (const handle of this._scheduled) {
        if (handle._cancelled) handle._scheduled = false;
        else newScheduled.push(handle);
      }
      heapify(newScheduled, timerLess);
      this._scheduled = newScheduled;
      this._timer_cancelled_count = 0;
    } else {
      // Remove delayed calls that were cancelled from head of queue.
      while (this._scheduled.length && this._scheduled[0]._cancelled) {
        this._timer_cancelled_count -= 1;
        const handle = heappop(this._scheduled, timerLess);
        handle._scheduled = false;
      }
    }

    let timeout: number | null = null;
    if (this._ready.length || this._stopping) {
      timeout = 0;
    } else if (this._scheduled.length) {
      // Compute the desired timeout.
      const when = this._scheduled[0]._when;
      timeout = Math.min(Math.max(0, when - this.time()), MAXIMUM_SELECT_TIMEOUT);
    }

    this._select(timeout);

    // Handle 'later' callbacks that are ready.
    const endTime = this.time() + this._clock_resolution;
    while (this._scheduled.length) {
      const handle = this._scheduled[0];
      if (handle._when >= endTime) break;
      heappop(this._scheduled, timerLess);
      handle._scheduled = false;
      this._ready.append(handle);
    }

    // This is the only place where callbacks are actually *called*.
    // All other places just add them to ready. Callbacks scheduled by the
    // ones run here wait for the next iteration.
    const ntodo = this._ready.length;
    for (let i = 0; i < ntodo; i++) {
      let handle = this._ready.popleft();
      if (handle._cancelled) continue;
      if (this._debug) {
        // A future queued for its first callback, or a task for its step, runs
        // here as the Handle CPython would have queued, so that
        // _current_handle, the timing and the report see a Handle.
        if (handle instanceof Future) {
          if (handle._callbackReady) handle = handle._takeReadyHandle();
          else if (handle instanceof Task) handle = new TaskStepHandle(handle);
        }
        this._current_handle = handle;
        const t0 = this.time();
        try {
          handle._run();
        } finally {
          this._current_handle = null;
        }
        const dt = this.time() - t0;
        if (dt >= this.slow_callback_duration) {
          this.runtime.logger.warning(`Executing ${_format_handle(handle)} took ${dt.toFixed(3)} seconds`);
        }
      } else {
        handle._run();
      }
    }
  }

  /**
   * selector.select(timeout): block in the idle hook. The deadline is
   * `time() + timeout`, so a virtual clock lands exactly where CPython's
   * arithmetic says; a wake-up from call_soon_threadsafe satisfies it early.
   */
  private _select(timeout: number | null): void {
    const deadline = timeout === null ? null : this.time() + timeout;
    // May throw Deadlock: nothing can ever wake this loop up.
    this.runtime.scheduler.block(deadline, this.wakeUp);
    this.selfPipeWritten = false;
  }

  // -- debug ----------------------------------------------------------------

  get_debug(): boolean {
    return this._debug;
  }

  set_debug(enabled: boolean): void {
    this._debug = Boolean(enabled);
  }

  // -- error handling -----------------------------------------------------------

  get_exception_handler(): ExceptionHandler | null {
    return this._exception_handler;
  }

  /** loop.set_exception_handler(handler): handler(loop, context), or None for the default. */
  set_exception_handler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== 'function') {
      throw new TypeError(`A callable object or None is expected, got ${pyRepr(handler)}`);
    }
    this._exception_handler = handler;
  }

  /**
   * loop.default_exception_handler(context): log the message and the other
   * context keys (sorted, `key: repr(value)`) at ERROR level, with the
   * exception as exc_info.
   */
  default_exception_handler(context: ExceptionContext): void {
    const message = context.message || 'Unhandled exception in event loop';
    const exception = context.exception ?? null;
    const lines = [message];
    for (const key of Object.keys(context).sort()) {
      if (key === 'message' || key === 'exception') continue;
      lines.push(`${key}: ${pyRepr(context[key])}`);
    }
    // The record's message is exactly what CPython passes to logger.error;
    // the exception travels as exc_info (see formatExceptionOnly).
    this.runtime.logger.error(lines.join('\n'), exception);
  }

  /** loop.call_exception_handler(context): the custom handler, else the default; raises only what handledByLoop() refuses. */
  call_exception_handler(context: ExceptionContext): void {
    if (this._exception_handler === null) {
      try {
        this.default_exception_handler(context);
      } catch (e) {
        if (!handledByLoop(e, this.runtime.profile)) throw e;
        this.runtime.logger.error('Exception in default exception handler', e);
      }
    } else {
      try {
        this._exception_handler(this, context);
      } catch (e) {
        if (!handledByLoop(e, this.runtime.profile)) throw e;
        try {
          this.default_exception_handler({ message: 'Unhandled error in exception handler', exception: e, context });
        } catch (e2) {
          if (!handledByLoop(e2, this.runtime.profile)) throw e2;
          this.runtime.logger.error('Exception in default exception handler while handling an unexpected error in custom exception handler', e2);
        }
      }
    }
  }

  // -- shutdown and executor ------------------------------------------------------

  /** loop.shutdown_asyncgens(): no async generators are modelled; completes in one step. */
  shutdown_asyncgens(): Coroutine<unknown> {
    return shutdownAsyncgens();
  }

  /**
   * loop.shutdown_default_executor(timeout=None) (3.9): mark the executor
   * shut down and wait for it (the threads helper's executor implements the
   * wait as a generator `shutdownFromLoop(loop, timeout)`).
   */
  shutdown_default_executor(timeout: number | null = null): Coroutine<unknown> {
    const self = this;
    return shutdownDefaultExecutor(function* () {
      self._executor_shutdown_called = true;
      const executor = self._default_executor as (Executor & { shutdownFromLoop?: (loop: AbstractEventLoop, timeout: number | null) => Generator<unknown, unknown, unknown> }) | null;
      if (executor === null) return null;
      if (typeof executor.shutdownFromLoop === 'function') {
        yield* executor.shutdownFromLoop(self, timeout);
      } else {
        executor.shutdown(true);
      }
      return null;
    });
  }

  /** loop.run_in_executor(executor, func, *args): needs the threads helper's executor. */
  run_in_executor(executor: unknown, func: Callback, ...args: unknown[]): Future<unknown> {
    this._check_closed();
    if (this._debug) this._check_callback(func, 'run_in_executor');
    let ex = executor as Executor | null;
    if (ex === null || ex === undefined) {
      ex = this._default_executor;
      if (this.runtime.profile.minor >= 9 && this._executor_shutdown_called) {
        throw new RuntimeError('Executor shutdown has been called');
      }
      if (ex === null) {
        if (this.runtime.executorFactory === null) throw new NotImplementedError('no thread executor installed');
        ex = this.runtime.executorFactory(this);
        this._default_executor = ex;
      }
    }
    return wrap_future(this.runtime, ex.submit(func, ...args) as never, this);
  }
}

const shutdownAsyncgens = asyncDef(function* shutdown_asyncgens(): Generator<unknown, null, unknown> {
  return null;
}, { qualname: 'BaseEventLoop.shutdown_asyncgens', filename: 'asyncio/base_events.py' });

const shutdownDefaultExecutor = asyncDef(function* shutdown_default_executor(body: () => Generator<unknown, unknown, unknown>): Generator<unknown, unknown, unknown> {
  return yield* body();
}, { qualname: 'BaseEventLoop.shutdown_default_executor', filename: 'asyncio/base_events.py' });

/** base_events._format_handle: a task's step or wake-up shows the task's repr. */
function _format_handle(item: ReadyItem): string {
  if (item instanceof Task) return item.__repr__(); // a task's step (see ReadyItem)
  const h = item as Handle;
  const owner = h instanceof TaskStepHandle ? h.task : (h._callback as { __self__?: unknown } | null)?.__self__;
  return owner instanceof Task ? owner.__repr__() : h.__repr__();
}

/** traceback.format_exception_only, without frames (the runtime is traceback-free). */
export function formatExceptionOnly(e: BaseException): string {
  const s = e.__str__();
  return s ? `${qualifiedTypeName(e)}: ${s}` : qualifiedTypeName(e);
}

function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** Create a loop for a runtime (installed as runtime.loopFactory). */
export function newBaseEventLoop(runtime: Runtime): BaseEventLoop {
  return new BaseEventLoop(runtime);
}

export { formatCallback, iscoroutine };
