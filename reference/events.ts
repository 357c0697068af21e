/**
 * events: Handle, TimerHandle, the AbstractEventLoop surface, the runtime
 * ("interpreter state") and the event-loop policy functions
 * (get_running_loop, get_event_loop, set_event_loop, new_event_loop).
 *
 * Invariants:
 * - A Handle runs its callback exactly once, in its context
 *   (`Context.run`), unless cancelled first; a cancelled handle drops its
 *   callback and args (CPython does, to break cycles) and is skipped by the
 *   loop.
 * - An exception escaping a callback goes to the loop's exception handler
 *   ('Exception in callback ...'), except SystemExit/KeyboardInterrupt
 *   (3.8+; in 3.7 every non-Exception BaseException) which propagate out of
 *   the loop.
 * - TimerHandle orders by `_when` only (TimerHandle.__lt__), which together
 *   with heapq fixes the order of timers with equal deadlines.
 * - Every piece of state CPython keeps per interpreter or per thread
 *   (running loop, policy, task-name counter, task registries, current
 *   context, warnings, logging) lives on one `Runtime`; nothing is global.
 */

import { TaskRegistry } from './registry';
import type { Clock, Scheduler } from './clock';
import { Context, ContextOrCopy, ContextState, contextOf, copyLater } from './contextvars';
import { BaseException, Exception as PyException, KeyboardInterrupt, RuntimeError, SystemExit, pyRepr, ExceptionClass, DeprecationWarning } from './exceptions';
import type { AsyncioExceptions } from './exceptions';
import type { Profile } from './versions';
import type { LoggingChannel, WarningsChannel } from './warnings';
import type { Coroutine } from './coroutines';

// ---------------------------------------------------------------------------
// Callbacks and their rendering
// ---------------------------------------------------------------------------

/** A callback the loop calls: any JS function; `__qualname__` names it in reprs. */
export type Callback = (...args: any[]) => unknown;

/**
 * format_helpers._format_callback: `qualname(arg1, arg2)`. CPython appends
 * ` at FILE:LINE` for Python functions; JS callbacks have no source location,
 * so it is appended only when the callback carries `__source__` ("file:line").
 */
export function formatCallback(cb: Callback, args: readonly unknown[] | null): string {
  const f = cb as Callback & { __qualname__?: string; __source__?: string };
  let s = f.__qualname__ || f.name || pyRepr(cb);
  s += `(${(args ?? []).map(pyRepr).join(', ')})`;
  if (f.__source__) s += ` at ${f.__source__}`;
  return s;
}

/** Give a JS function a Python qualname (for reprs such as cb=[...] and Handle). */
export function named<F extends Callback>(qualname: string, fn: F): F {
  Object.defineProperty(fn, '__qualname__', { value: qualname, configurable: true });
  return fn;
}

// ---------------------------------------------------------------------------
// Handle / TimerHandle
// ---------------------------------------------------------------------------

/**
 * What the loop's ready queue holds: a Handle, or a Task whose next step is
 * due (Task._run). CPython queues a Handle for every task step; a task
 * queues itself instead, which is the same to every observer (the step
 * handle is never given out) and saves an object per step.
 */
export interface ReadyItem {
  /** True if the loop must skip it (a cancelled Handle). */
  readonly _cancelled: boolean;
  /** Run it, routing a callback's exception to the loop's handler. */
  _run(): void;
}

/** events.Handle: a callback registered with call_soon. */
export class Handle implements ReadyItem {
  _callback: Callback | null;
  /**
   * The arguments as this class stores them: an args list here; a
   * subclass may keep one argument bare (see FutureCallbackHandle) and
   * says how through `_args` and `_call`. null once cancelled.
   */
  protected _argv: unknown;
  _cancelled = false;
  _repr: string | null = null;
  /**
   * The context, or the map of a copy not made yet (ContextOrCopy): most
   * handles never show their context, so the Context object is made when
   * the handle runs or somebody asks, and a queued handle keeps none alive.
   */
  private _ctx: ContextOrCopy;

  constructor(callback: Callback, args: unknown, readonly _loop: AbstractEventLoop, context: ContextOrCopy | null = null) {
    // Handle.__init__: a handle without a context runs in a copy of the current one.
    this._ctx = context ?? copyLater(_loop.runtime.contexts);
    this._callback = callback;
    this._argv = args;
  }

  /** The callback's arguments, as a list (null once cancelled). */
  get _args(): unknown[] | null {
    return this._argv as unknown[] | null;
  }

  /** The context the callback runs in (the deferred copy is made on first use). */
  get _context(): Context {
    const c = this._ctx;
    return c instanceof Context ? c : (this._ctx = contextOf(this._loop.runtime.contexts, c));
  }

  protected _repr_info(): string[] {
    const info: string[] = [this.constructor.name];
    if (this._cancelled) info.push('cancelled');
    if (this._callback !== null) info.push(this._callbackText(this._callback));
    return info;
  }

  /** format_helpers._format_callback_source(callback, args, debug=loop.get_debug()). */
  private _callbackText(cb: Callback): string {
    const shown = this._loop.runtime.profile.callbackArgsOnlyInDebug && !this._loop.get_debug() ? [] : this._args;
    return formatCallback(cb, shown);
  }

  __repr__(): string {
    if (this._repr !== null) return this._repr;
    return `<${this._repr_info().join(' ')}>`;
  }

  /** Handle.cancel(): the callback will not run; idempotent. */
  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      // Debug mode keeps the text for "Executing <Handle...> took N seconds".
      if (this._loop.get_debug()) this._repr = this.__repr__();
      this._callback = null;
      this._argv = null;
    }
  }

  cancelled(): boolean {
    return this._cancelled;
  }

  /** Handle.get_context() (3.12). */
  get_context(): Context {
    return this._context;
  }

  /** callback(*args), without the rest/spread copies for the common arities. */
  protected _call(cb: Callback, argv: unknown): void {
    const args = argv as unknown[];
    const n = args.length;
    if (n === 0) cb();
    else if (n === 1) cb(args[0]);
    else cb(...args);
  }

  /** Run the callback in its context; route exceptions to the loop's handler. */
  _run(): void {
    const cb = this._callback!;
    const ctx = this._context;
    try {
      // ctx.run(cb, ...args), inlined without the rest/spread copies.
      ctx._enter();
      try {
        this._call(cb, this._argv);
      } finally {
        ctx._exit();
      }
    } catch (e) {
      this._raised(e, cb);
    }
  }

  /**
   * An exception escaped the callback: the loop's handler gets it as
   * 'Exception in callback cb(args)' with this handle, unless the loop lets
   * it propagate. Ready items that are not Handles (a task's step, a
   * future's first callback) report through the Handle CPython would have
   * run, made only here.
   */
  _raised(e: unknown, cb: Callback = this._callback!): void {
    if (!handledByLoop(e, this._loop.runtime.profile)) throw e;
    this._loop.call_exception_handler({
      message: `Exception in callback ${this._callbackText(cb)}`,
      exception: e,
      handle: this,
    });
  }
}

/**
 * call_soon(callback, fut, context=ctx) for a future's done callback, with
 * the future kept bare instead of in a one-item args list: a gather of many
 * tasks queues one of these per task.
 */
export class FutureCallbackHandle extends Handle {
  constructor(callback: Callback, fut: unknown, loop: AbstractEventLoop, context: ContextOrCopy | null) {
    super(callback, fut, loop, context);
  }

  override get _args(): unknown[] | null {
    return this._argv === null ? null : [this._argv];
  }

  protected override _call(cb: Callback, fut: unknown): void {
    cb(fut);
  }

  /** It is a plain Handle to Python. */
  protected override _repr_info(): string[] {
    const info = super._repr_info();
    info[0] = 'Handle';
    return info;
  }
}

/** events.TimerHandle: a callback registered with call_later/call_at. */
export class TimerHandle extends Handle {
  _scheduled = false;

  constructor(readonly _when: number, callback: Callback, args: unknown[], loop: AbstractEventLoop, context: Context | null = null) {
    super(callback, args, loop, context);
  }

  protected override _repr_info(): string[] {
    const info = super._repr_info();
    info.splice(this._cancelled ? 2 : 1, 0, `when=${pyRepr(this._when)}`);
    return info;
  }

  /** TimerHandle.when(): the absolute deadline, in loop.time() units. */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled) this._loop._timer_handle_cancelled(this);
    super.cancel();
  }
}

/** TimerHandle.__lt__: deadlines only (ties are ordered by heapq, not by insertion). */
export function timerLess(a: TimerHandle, b: TimerHandle): boolean {
  return a._when < b._when;
}

// ---------------------------------------------------------------------------
// The loop surface futures and tasks rely on
// ---------------------------------------------------------------------------

/** The exception-handler context dict (`{'message': ..., 'exception': ...}`). */
export interface ExceptionContext {
  message?: string;
  exception?: BaseException;
  future?: unknown;
  task?: unknown;
  handle?: unknown;
  [key: string]: unknown;
}

export type ExceptionHandler = (loop: AbstractEventLoop, context: ExceptionContext) => void;
export type TaskFactory = (loop: AbstractEventLoop, coro: Coroutine<unknown>, options?: { name?: unknown; context?: Context | null }) => unknown;

/**
 * Whether the loop handles an exception raised by a callback, a task step
 * or an exception handler (logs it / stores it) rather than letting it
 * propagate out of run_forever(): 3.7 handles `Exception` only, 3.8+ every
 * BaseException but KeyboardInterrupt and SystemExit
 * (profile.stepReraisesBaseException). Anything that is not a Python
 * exception is a host (JS) bug and is never handled, to fail loudly.
 */
export function handledByLoop(e: unknown, profile: Profile): e is BaseException {
  if (!(e instanceof BaseException)) return false;
  return profile.stepReraisesBaseException
    ? e instanceof PyException
    : !(e instanceof SystemExit || e instanceof KeyboardInterrupt);
}

/** events.AbstractEventLoop: what the rest of the runtime may call on a loop. */
export interface AbstractEventLoop {
  readonly runtime: Runtime;
  time(): number;
  call_soon(callback: Callback, args?: unknown[], options?: { context?: Context | null }): Handle;
  call_soon_threadsafe(callback: Callback, args?: unknown[], options?: { context?: Context | null }): Handle;
  call_later(delay: number, callback: Callback, args?: unknown[], options?: { context?: Context | null }): TimerHandle;
  call_at(when: number, callback: Callback, args?: unknown[], options?: { context?: Context | null }): TimerHandle;
  create_future(): any;
  create_task(coro: Coroutine<unknown>, options?: { name?: unknown; context?: Context | null }): any;
  set_task_factory(factory: TaskFactory | null): void;
  get_task_factory(): TaskFactory | null;
  run_until_complete(future: unknown): unknown;
  run_forever(): void;
  stop(): void;
  close(): void;
  is_running(): boolean;
  is_closed(): boolean;
  get_debug(): boolean;
  set_debug(enabled: boolean): void;
  set_exception_handler(handler: ExceptionHandler | null): void;
  get_exception_handler(): ExceptionHandler | null;
  default_exception_handler(context: ExceptionContext): void;
  call_exception_handler(context: ExceptionContext): void;
  shutdown_asyncgens(): Coroutine<unknown>;
  shutdown_default_executor(timeout?: number | null): Coroutine<unknown>;
  run_in_executor(executor: unknown, func: Callback, ...args: unknown[]): unknown;
  /** @internal */ _timer_handle_cancelled(handle: TimerHandle): void;
  /** @internal */ _call_soon(callback: Callback, args: unknown[], context: Context | null): Handle;
  /** @internal call_soon for a ready item built by the caller (a done callback's handle, a task's step). */
  _call_soon_handle<H extends ReadyItem>(handle: H): H;
  __repr__(): string;
}

// ---------------------------------------------------------------------------
// The runtime: per-interpreter state
// ---------------------------------------------------------------------------

/** See Runtime.taskObserver. */
export interface TaskObserver {
  created(task: unknown): void;
  done(task: unknown): void;
}

/** Per-thread state (threading.local in CPython). The threads helper swaps `runtime.thread`. */
export interface ThreadState {
  /** events._running_loop for this thread. */
  runningLoop: AbstractEventLoop | null;
  /** Pid-like guard CPython keeps with the running loop; unused (no fork). */
  /** BaseDefaultEventLoopPolicy._local */
  policyLoop: AbstractEventLoop | null;
  policySetCalled: boolean;
  /** threading.current_thread().name */
  readonly name: string;
  readonly isMain: boolean;
}

/** The default executor slot the threads helper fills (concurrent.futures.ThreadPoolExecutor). */
export interface Executor {
  /** executor.submit(fn, *args) -> concurrent.futures.Future */
  submit(fn: Callback, ...args: unknown[]): unknown;
  /** executor.shutdown(wait) */
  shutdown(wait: boolean): void;
}

export interface RuntimeOptions {
  profile: Profile;
  scheduler: Scheduler;
  warnings: WarningsChannel;
  logger: LoggingChannel;
  exceptions: AsyncioExceptions;
}

/**
 * One Python interpreter's worth of asyncio state. Everything CPython keeps
 * in module globals or thread-locals lives here, so runtimes are independent.
 */
export class Runtime {
  readonly profile: Profile;
  /** The idle hook; the threads helper may replace it with a thread scheduler. */
  scheduler: Scheduler;
  readonly warnings: WarningsChannel;
  readonly logger: LoggingChannel;
  readonly exceptions: AsyncioExceptions;
  readonly contexts = new ContextState();
  readonly mainThread: ThreadState = { runningLoop: null, policyLoop: null, policySetCalled: false, name: 'MainThread', isMain: true };
  /** The thread currently executing; the threads helper switches it. */
  thread: ThreadState = this.mainThread;
  /** tasks._task_name_counter (itertools.count(1)). */
  private taskCounter = 0;
  /** tasks._all_tasks (a WeakSet in CPython: done tasks are dropped here, as all_tasks() filters them anyway). */
  readonly allTasks = new TaskRegistry<any>();
  /** tasks._eager_tasks (3.12+). */
  readonly eagerTasks = new Set<any>();
  /** Creates the loop new_event_loop() returns (set by asyncio.ts to BaseEventLoop). */
  loopFactory: ((runtime: Runtime) => AbstractEventLoop) | null = null;
  /** Creates the default executor for run_in_executor(None, ...) (the threads helper sets it). */
  executorFactory: ((loop: AbstractEventLoop) => Executor) | null = null;
  /**
   * Called by Task with every value a coroutine yields; returning
   * {sent} resumes the coroutine at once with `sent` (the threads helper's
   * Blocking requests); null means "not mine" (normal classification).
   */
  yieldHook: ((value: unknown) => { sent: unknown } | null) | null = null;
  /**
   * Told of every task when it is created and when it becomes done (its
   * outcome set, its done callbacks scheduled but not yet run): the hook
   * a harness uses to report final task states.
   */
  taskObserver: TaskObserver | null = null;
  /** Extension slots for helpers (threads, combinators) keyed by name. */
  readonly slots = new Map<string, unknown>();

  constructor(options: RuntimeOptions) {
    this.profile = options.profile;
    this.scheduler = options.scheduler;
    this.warnings = options.warnings;
    this.logger = options.logger;
    this.exceptions = options.exceptions;
  }

  get clock(): Clock {
    return this.scheduler.clock;
  }

  /** next(_task_name_counter): the N of the default 'Task-N' name. */
  nextTaskNumber(): number {
    return ++this.taskCounter;
  }

  /** warnings.warn(message, DeprecationWarning). */
  deprecated(message: string): void {
    this.warnings.warn(message, DeprecationWarning as unknown as ExceptionClass);
  }
}

// ---------------------------------------------------------------------------
// Running loop and policy (events.py module functions)
// ---------------------------------------------------------------------------

/** events._get_running_loop(): the running loop of the current thread, or null. */
export function _get_running_loop(runtime: Runtime): AbstractEventLoop | null {
  return runtime.thread.runningLoop;
}

/** events._set_running_loop(loop). */
export function _set_running_loop(runtime: Runtime, loop: AbstractEventLoop | null): void {
  runtime.thread.runningLoop = loop;
}

/** asyncio.get_running_loop(): RuntimeError('no running event loop') outside a loop. */
export function get_running_loop(runtime: Runtime): AbstractEventLoop {
  const loop = runtime.thread.runningLoop;
  if (loop === null) throw new RuntimeError('no running event loop');
  return loop;
}

/** asyncio.new_event_loop(). */
export function new_event_loop(runtime: Runtime): AbstractEventLoop {
  if (runtime.loopFactory === null) throw new RuntimeError('no loop factory installed');
  return runtime.loopFactory(runtime);
}

/** asyncio.set_event_loop(loop): policy.set_event_loop. */
export function set_event_loop(runtime: Runtime, loop: AbstractEventLoop | null): void {
  runtime.thread.policySetCalled = true;
  runtime.thread.policyLoop = loop;
}

/**
 * BaseDefaultEventLoopPolicy.get_event_loop(): the thread's loop, creating
 * one in the main thread if set_event_loop was never called (with a
 * DeprecationWarning on 3.12-3.13; never on 3.14).
 */
export function policy_get_event_loop(runtime: Runtime): AbstractEventLoop {
  const t = runtime.thread;
  const style = runtime.profile.getEventLoop;
  if (t.policyLoop === null && !t.policySetCalled && t.isMain && style !== 'error') {
    if (style === 'warn') runtime.deprecated('There is no current event loop');
    set_event_loop(runtime, new_event_loop(runtime));
  }
  if (t.policyLoop === null) {
    throw new RuntimeError(`There is no current event loop in thread ${pyRepr(t.name)}.`);
  }
  return t.policyLoop;
}

/** asyncio.get_event_loop(): the running loop, else the policy's loop. */
export function get_event_loop(runtime: Runtime): AbstractEventLoop {
  return runtime.thread.runningLoop ?? policy_get_event_loop(runtime);
}
