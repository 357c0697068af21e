/**
 * tasks: Task, current_task, all_tasks, create_task, ensure_future, sleep.
 *
 * Invariants (the head of CPython's Task, kept verbatim in spirit):
 * while a Task is not done, `_fut_waiter` is either null or a Future, and
 * the task is in exactly one of three states:
 * 1. `_fut_waiter` is a pending Future: `__step` is *not* scheduled; one of
 *    the waiter's callbacks is `__wakeup`.
 * 2. `_fut_waiter` is null or done, and `__step` is scheduled.
 * 3. `_fut_waiter` is null and `__step` is not scheduled: the task is
 *    executing (inside `__step`).
 * 1 -> 2 when the waiter becomes done (it schedules `__wakeup`, which calls
 * `__step`); 2 -> 3 when `__step` runs and clears `_fut_waiter`.
 *
 * - `__step` does the bookkeeping (cancel request, current-task enter/leave);
 *   `__step_run_and_handle_result` runs the coroutine one step and classifies
 *   what came out (CPython 3.12's split).
 * - Cancellation is a CancelledError thrown into the coroutine at its await
 *   (or handed to the future it waits on); the task is cancelled only if
 *   the coroutine lets a CancelledError escape.
 * - A task runs every step in its own context: a copy of the context current
 *   at its creation (or the one given, 3.11+).
 * - all_tasks() iterates in creation order (CPython iterates a WeakSet,
 *   whose order is not defined; scenarios must not depend on it).
 */

import { asyncDef, Coroutine, CoroutineFunction, formatCoroutine, iscoroutine, isGenerator, coroutineFromGenerator, Frame, Traceback, RAISED, takeRaised } from './coroutines';
import type { Context } from './contextvars';
import type { Profile } from './versions';
import { AttributeError, BaseException, RuntimeError, TypeError, ValueError, pyRepr, pyStr, toPyException, qualifiedTypeName, isinstance } from './exceptions';
import { AbstractEventLoop, Callback, handledByLoop, get_event_loop, get_running_loop, Handle, Runtime } from './events';
import { Future, isfuture, _set_result_unless_cancelled } from './futures';

/** The args of a plain step handle: one shared empty (frozen) list, as CPython shares the empty tuple. */
const NO_ARGS = Object.freeze([]) as unknown as unknown[];

/**
 * Task methods that later releases added, with the minor version of each:
 * before it the attribute does not exist (AttributeError).
 */
export const TASK_METHOD_SINCE: Readonly<Record<string, number>> = {
  get_name: 8, set_name: 8, get_coro: 8, // bpo-34270, bpo-36999
  cancelling: 11, uncancel: 11, // bpo-46771
  get_context: 12, // gh-91150
};

/** True if `name` is a Task method the profile's version does not have yet. */
export function taskMethodMissing(profile: Profile, name: string): boolean {
  const since = TASK_METHOD_SINCE[name];
  return since !== undefined && profile.minor < since;
}

/**
 * The first keyword of a create_task() call (asyncio's or the loop's) that
 * the profile's version does not have yet: name= came in 3.8, context= in
 * 3.11. Python reports the first such keyword in the order passed.
 */
export function refusedTaskKeyword(profile: Profile, options: object): string | null {
  if (profile.taskContextArg) return null;
  for (const k of Object.keys(options)) {
    if ((k === 'name' && !profile.taskNames) || k === 'context') return k;
  }
  return null;
}

/**
 * What the C Task.__init__(coro, *, loop=None[, name=None]) says about the
 * keywords it does not have yet: too many arguments counted first, then the
 * first unknown keyword.
 */
export function taskInitKeywordError(profile: Profile, options: object): TypeError | null {
  const refused = refusedTaskKeyword(profile, options);
  if (refused === null) return null;
  const max = profile.taskNames ? 3 : 2; // coro, loop[, name]
  const given = 1 + Object.keys(options).filter((k) => k === 'loop' || k === 'name' || k === 'context').length;
  return given > max
    ? new TypeError(`Task() takes at most ${max} arguments (${given} given)`)
    : new TypeError(`'${refused}' is an invalid keyword argument for Task()`);
}

function requireTaskMethod(task: Task<unknown>, name: string): void {
  if (taskMethodMissing(task._loop.runtime.profile, name)) {
    throw new AttributeError(`'_asyncio.Task' object has no attribute '${name}'`);
  }
}

export interface TaskOptions {
  loop?: AbstractEventLoop | null;
  runtime?: Runtime;
  name?: unknown;
  context?: Context | null;
  eager_start?: boolean;
}

/** asyncio.Task: a coroutine wrapped in a Future. */
export class Task<T = unknown> extends Future<T> {
  /** If false, don't log 'Task was destroyed but it is pending!'. */
  _log_destroy_pending = true;
  /**
   * The name, or the N of a default 'Task-N' name, formatted on first read:
   * the counter is consumed at creation as in CPython, the string is built
   * only if somebody looks.
   */
  private _nameOrNumber: string | number | null;
  _num_cancels_requested = 0;
  _must_cancel = false;
  _fut_waiter: Future<unknown> | null = null;
  _coro: Coroutine<T> | null;
  readonly _context: Context;
  /**
   * The bound wake-up callback, created on first use and kept so
   * remove_done_callback can find it. Its Python qualname is its JS `name`,
   * fixed at compile time (see makeWakeupCb), so creating one costs a
   * closure and nothing else. Steps need no bound callback: see
   * TaskStepHandle.
   */
  private wakeupCb: Callback | null = null;
  /** Links of the runtime's task registry (see registry.ts). */
  _regPrev: Task<unknown> | null = null;
  _regNext: Task<unknown> | null = null;

  constructor(coro: Coroutine<T> | Generator, options: TaskOptions = {}) {
    super(options);
    const rt = this._loop.runtime;
    if (!iscoroutine(coro, rt.profile)) {
      this._log_destroy_pending = false;
      throw new TypeError(`a coroutine was expected, got ${pyRepr(coro)}`);
    }
    if (!(coro instanceof Coroutine) && isGenerator(coro)) coro = coroutineFromGenerator(coro) as Coroutine<T>;
    // bpo-34270 (3.8): 'Task-N' from a per-interpreter counter, consumed only when unnamed.
    if (!rt.profile.taskNames) this._nameOrNumber = null;
    else if (options.name === null || options.name === undefined) this._nameOrNumber = rt.nextTaskNumber();
    else this._nameOrNumber = pyStr(options.name); // str(name): name=True is 'True'
    this._coro = coro as Coroutine<T>;
    this._context = options.context ?? rt.contexts.current.copy();
    if (rt.taskObserver !== null) rt.taskObserver.created(this);
    if (options.eager_start && rt.profile.eagerTasks && this._loop.is_running()) {
      this.__eager_start();
    } else {
      this._loop._call_soon_handle(this);
      _register_task(rt, this);
    }
  }

  // -- repr -----------------------------------------------------------------

  /** base_tasks._task_repr_info. */
  override _repr_info(): string[] {
    const info = super._repr_info();
    const p = this.runtime.profile;
    // 3.7-3.10 show 'cancelling' while a cancel request is pending; 3.11+ while cancelling() > 0.
    if (p.reprCancellingFromCount ? (this.cancelling() > 0 && !this.done()) : this._must_cancel) info[0] = 'cancelling';
    let at = 1;
    if (p.taskNames) info.splice(at++, 0, `name=${pyRepr(this._name)}`);
    if (this._fut_waiter !== null) info.splice(at, 0, `wait_for=${pyRepr(this._fut_waiter)}`);
    if (this._coro !== null) info.splice(at, 0, `coro=<${formatCoroutine(this._coro as Coroutine<unknown>)}>`);
    return info;
  }

  // -- Task API -------------------------------------------------------------

  get_coro(): Coroutine<T> | null {
    requireTaskMethod(this, 'get_coro');
    return this._coro;
  }

  /** Task.get_context() (3.12). */
  get_context(): Context {
    requireTaskMethod(this, 'get_context');
    return this._context;
  }

  get _name(): string | null {
    const n = this._nameOrNumber;
    return typeof n === 'number' ? (this._nameOrNumber = `Task-${n}`) : n;
  }

  get_name(): string | null {
    requireTaskMethod(this, 'get_name');
    return this._name;
  }

  set_name(value: unknown): void {
    requireTaskMethod(this, 'set_name');
    this._nameOrNumber = pyStr(value);
  }

  override set_result(_result: T): never {
    throw new RuntimeError('Task does not support set_result operation');
  }

  override set_exception(_exception: unknown): never {
    throw new RuntimeError('Task does not support set_exception operation');
  }

  /**
   * Task.get_stack(limit=None), in the frame model: while suspended, the one
   * frame of the task's coroutine ("only one stack frame is returned for a
   * suspended coroutine"); once done, [] — or, if the task failed, the
   * frames of the exception's traceback (coroutines it passed through,
   * outermost first; the oldest `limit` are kept).
   */
  get_stack(options: { limit?: number | null } = {}): Frame[] {
    const limit = options.limit ?? null;
    const coro = this._coro;
    const f = coro !== null ? coro.cr_frame : null;
    if (f !== null) return limit !== null && limit <= 0 ? [] : [f];
    if (this._exception !== null) {
      const tb = this._exception.__traceback__ as Traceback | null;
      const frames = tb && Array.isArray(tb.frames) ? tb.frames : [];
      return limit === null ? frames.slice() : frames.slice(0, Math.max(0, limit));
    }
    return [];
  }

  /**
   * Task.print_stack(limit=None, file=None): base_tasks._task_print_stack.
   * Writes 'Stack for <repr> (most recent call last):' (or 'Traceback for'
   * / 'No stack for'), one `  File "F", line N, in NAME` per frame (no
   * source line: the frame model has no source text), then the exception
   * line for a failed task. `file` needs only write(s).
   */
  print_stack(options: { limit?: number | null; file?: { write(s: string): unknown } } = {}): void {
    const out: string[] = [];
    const frames = this.get_stack({ limit: options.limit });
    const exc = this._exception;
    const me = this.__repr__();
    if (!frames.length) out.push(`No stack for ${me}\n`);
    else if (exc !== null) out.push(`Traceback for ${me} (most recent call last):\n`);
    else out.push(`Stack for ${me} (most recent call last):\n`);
    for (const fr of frames) out.push(`  File "${fr.filename}", line ${fr.lineno}, in ${fr.name}\n`);
    if (exc !== null) {
      const s = exc.__str__();
      out.push(s ? `${qualifiedTypeName(exc)}: ${s}\n` : `${qualifiedTypeName(exc)}\n`);
    }
    const file = options.file ?? { write: (s: string) => this.runtime.logger.log('ERROR', s.replace(/\n$/, '')) };
    for (const line of out) file.write(line);
  }

  /**
   * Task.cancel(msg=None): request that a CancelledError be thrown into the
   * coroutine on the next cycle; returns False if the task is done.
   */
  override cancel(...args: [] | [unknown]): boolean {
    this.checkCancelArgs(args);
    const msg = args.length ? args[0] : null;
    this._log_traceback = false;
    if (this.done()) return false;
    this._num_cancels_requested += 1;
    if (this._fut_waiter !== null) {
      const waiterCancelled = this.runtime.profile.cancelMessage ? this._fut_waiter.cancel(msg) : this._fut_waiter.cancel();
      // Leave _fut_waiter: it may be a Task that ignores the cancellation,
      // so we may have to cancel it again later.
      if (waiterCancelled) return true;
    }
    // It must be the case that __step is already scheduled.
    this._must_cancel = true;
    this._cancel_message = msg;
    return true;
  }

  /** Task.cancelling() (3.11): the number of pending cancellation requests. */
  cancelling(): number {
    requireTaskMethod(this, 'cancelling');
    return this._num_cancels_requested;
  }

  /** Task.uncancel() (3.11): decrement the count; 3.13 also drops a pending request at 0. */
  uncancel(): number {
    requireTaskMethod(this, 'uncancel');
    if (this._num_cancels_requested > 0) {
      this._num_cancels_requested -= 1;
      if (this._num_cancels_requested === 0 && this.runtime.profile.uncancelClearsMustCancel) this._must_cancel = false;
    }
    return this._num_cancels_requested;
  }

  /** Where CPython would free the task: 'Task was destroyed but it is pending!', then Future.__del__. */
  override __del__(): void {
    if (this._state === 'PENDING' && this._log_destroy_pending) {
      this._loop.call_exception_handler({ task: this, message: 'Task was destroyed but it is pending!' });
    }
    super.__del__();
  }

  // -- stepping -------------------------------------------------------------

  /** Task.__eager_start (3.12): run the first step synchronously inside create_task. */
  private __eager_start(): void {
    const rt = this.runtime;
    const prev = _swap_current_task(rt, this._loop, this);
    try {
      rt.eagerTasks.add(this);
      try {
        this._context.run(() => this.__step_run_and_handle_result(null));
      } finally {
        rt.eagerTasks.delete(this);
      }
    } finally {
      _swap_current_task(rt, this._loop, prev);
      if (this.done()) this._coro = null;
      else _register_task(rt, this);
    }
  }

  /** Bookkeeping around one step: the pending cancel request, current-task enter/leave. */
  __step(exc: BaseException | null = null): void {
    const rt = this.runtime;
    if (this.done()) {
      throw new rt.exceptions.InvalidStateError(`_step(): already done: ${this.__repr__()}, ${pyRepr(exc)}`);
    }
    if (this._must_cancel) {
      if (!(exc instanceof rt.exceptions.CancelledError)) exc = this._make_cancelled_error();
      this._must_cancel = false;
    }
    this._fut_waiter = null;
    _enter_task(rt, this._loop, this);
    try {
      this.__step_run_and_handle_result(exc);
    } finally {
      _leave_task(rt, this._loop, this);
      if (this.done()) rt.allTasks.delete(this); // the WeakSet would drop it
    }
  }

  /** Run the coroutine one step and classify what it returned, raised or yielded. */
  __step_run_and_handle_result(exc: BaseException | null): void {
    const rt = this.runtime;
    const coro = this._coro!;
    let r: IteratorResult<unknown, unknown> | typeof RAISED;
    try {
      let rr = exc === null ? coro._resumeOrRaise(false, undefined) : coro._resumeOrRaise(true, exc);
      // A blocking call on the main thread (time.sleep in a coroutine): the
      // threads helper blocks synchronously and the coroutine resumes in the
      // same step, stalling the loop exactly as on CPython.
      const hook = rt.yieldHook;
      while (hook !== null && rr !== RAISED && !rr.done) {
        const handled = hook(rr.value);
        if (handled === null) break;
        rr = coro._resumeOrRaise(false, handled.sent);
      }
      r = rr;
    } catch (e) {
      this.handleRaised(e);
      return;
    }
    if (r === RAISED) {
      this.handleRaised(takeRaised());
      return;
    }
    if (r.done) {
      if (this._must_cancel) {
        // Task is cancelled right before coro stops.
        this._must_cancel = false;
        if (rt.profile.cancelMessage) Future.prototype.cancel.call(this, this._cancel_message);
        else Future.prototype.cancel.call(this);
      } else {
        Future.prototype.set_result.call(this, r.value === undefined ? null : r.value);
      }
      this.notifyDone();
      return;
    }
    const result = r.value as { _asyncio_future_blocking?: unknown } | null | undefined;
    const blocking = result === null || result === undefined ? undefined : result._asyncio_future_blocking;
    if (blocking !== undefined && blocking !== null) {
      const fut = result as Future<unknown>;
      if (fut.get_loop() !== this._loop) {
        this.retry(new RuntimeError(`Task ${this.__repr__()} got Future ${pyRepr(fut)} attached to a different loop`));
      } else if (blocking) {
        if (fut === (this as unknown)) {
          this.retry(new RuntimeError(`Task cannot await on itself: ${this.__repr__()}`));
        } else {
          fut._asyncio_future_blocking = false;
          let wakeupCb = this.wakeupCb;
          if (wakeupCb === null) {
            // C Task's wakeup callback renders as TaskWakeupMethWrapper before 3.10, Task.task_wakeup from 3.10.
            wakeupCb = this.wakeupCb = rt.profile.minor >= 10 ? makeWakeupCb(this) : makeWakeupCb39(this);
          }
          fut.add_done_callback(wakeupCb, { context: this._context });
          this._fut_waiter = fut;
          if (this._must_cancel) {
            const ok = rt.profile.cancelMessage ? fut.cancel(this._cancel_message) : fut.cancel();
            if (ok) this._must_cancel = false;
          }
        }
      } else {
        this.retry(new RuntimeError(`yield was used instead of yield from in task ${this.__repr__()} with ${pyRepr(fut)}`));
      }
    } else if (result === null || result === undefined) {
      // Bare yield relinquishes control for one event loop iteration.
      this._loop._call_soon_handle(this);
    } else if (isGenerator(result) || (result instanceof Coroutine && result.kind === 'generator')) {
      this.retry(new RuntimeError(`yield was used instead of yield from for generator in task ${this.__repr__()} with ${pyRepr(result)}`));
    } else {
      this.retry(new RuntimeError(`Task got bad yield: ${pyRepr(result)}`));
    }
  }

  /** The coroutine raised: classify as CPython's except clauses do. */
  private handleRaised(thrown: unknown): void {
    const rt = this.runtime;
    const e = thrown as BaseException;
    if (!(thrown instanceof BaseException)) {
      // A host (JS) bug inside a coroutine: record it, then fail loudly.
      Future.prototype.set_exception.call(this, toPyException(e));
      this.notifyDone();
      throw e;
    }
    if (isinstance(e, rt.exceptions.CancelledError)) {
      // Save the original exception so we can chain it later (3.9+).
      if (rt.profile.cancelMessage) this._cancelled_exc = e;
      Future.prototype.cancel.call(this);
      this.notifyDone();
      return;
    }
    Future.prototype.set_exception.call(this, e);
    this.notifyDone();
    // Set as the outcome, and also propagated out of the loop unless the loop handles it.
    if (!handledByLoop(e, rt.profile)) throw e;
  }

  /** The outcome is set: tell the runtime's task observer (a harness), if any. */
  private notifyDone(): void {
    const observer = this.runtime.taskObserver;
    if (observer !== null) observer.done(this);
  }

  /** call_soon(self.__step, exc): the rare path keeps its own handle. */
  private retry(exc: BaseException): void {
    this._loop._call_soon_handle(new TaskStepHandle(this, exc));
  }

  // -- the task as its own step handle (see ReadyItem) ----------------------

  /**
   * A task finishes inside its own step, when no step of it is queued, and
   * may then queue itself for its first callback. Finished from outside
   * (Future.set_result(task, x) in Python), a step may still be queued: the
   * callback gets its own Handle, as on CPython, and the step finds the
   * task done.
   */
  protected override _mayQueueSelf(): boolean {
    return (this._loop as unknown as CurrentTaskSlot)._current_task === this;
  }

  /**
   * The scheduled step: what the Handle of call_soon(self.__step,
   * context=self._context) does when the loop runs it, exception routing
   * included. A done task is queued only for its first done callback
   * (Future._run): it has no step left.
   */
  override _run(): void {
    if (this._callbackReady) {
      super._run();
      return;
    }
    const ctx = this._context;
    try {
      ctx._enter();
      try {
        this.__step(null);
      } finally {
        ctx._exit();
      }
    } catch (e) {
      new TaskStepHandle(this)._raised(e);
    }
  }

  /** Task.__wakeup(future): the waited-for future is done; step with its outcome. */
  __wakeup(future: Future<unknown>): void {
    let exc: BaseException | null = null;
    if (future._state !== 'PENDING' && future.result === Future.prototype.result) {
      // Read the outcome without a JS throw, as the C task_wakeup does for Future and Task.
      exc = future._result_exception();
    } else {
      try {
        future.result();
      } catch (e) {
        exc = toPyException(e); // may also be a cancellation
      }
    }
    // Don't pass the result: Future.__iter__ returns it itself.
    this.__step(exc);
  }
}


/**
 * What `_callback` of a step handle holds: it only names the step. The C
 * Task queues a TaskStepMethWrapper (the exception to throw in, if any, is
 * inside it, so the handle shows no arguments): `<Handle <TaskStepMethWrapper
 * object at 0x...>()>`, `_asyncio.TaskStepMethWrapper` from 3.12; addresses
 * are left out, as in every repr here. Calling it directly is a bug:
 * TaskStepHandle calls its task.
 */
function stepCallback(name: string): Callback {
  return { [name]: (): void => {
    throw new RuntimeError('a task step is only called through its handle');
  } }[name];
}
const TASK_STEP = stepCallback('<TaskStepMethWrapper object>');
const TASK_STEP_312 = stepCallback('<_asyncio.TaskStepMethWrapper object>');

/** The step callback as the task's version names it. */
function taskStep(task: Task<unknown>): Callback {
  return task._loop.runtime.profile.minor >= 12 ? TASK_STEP_312 : TASK_STEP;
}

/**
 * The Handle of a task's step where one is needed: a step that throws an
 * exception in (retry), debug mode, and the report of a step that raised.
 * Plain steps queue the task itself (see Task._run).
 */
export class TaskStepHandle extends Handle {
  constructor(readonly task: Task<unknown>, readonly exc: BaseException | null = null) {
    super(taskStep(task), NO_ARGS, task._loop, task._context);
  }

  protected override _call(): void {
    this.task.__step(this.exc);
  }

  /** It is a plain Handle to Python. */
  protected override _repr_info(): string[] {
    const info = super._repr_info();
    info[0] = 'Handle';
    return info;
  }
}

/*
 * A Task's bound wake-up callback. The arrow function takes its `name` from
 * the string key of the literal it is written in, which V8 fixes at compile
 * time; formatCallback falls back to `name` when there is no __qualname__,
 * so it renders exactly as named(qualname, fn) did, without a
 * defineProperty per task.
 */
function makeWakeupCb(task: Task<unknown>): Callback {
  return bound(task, { 'Task.task_wakeup': (fut: Future<unknown>) => task.__wakeup(fut) }['Task.task_wakeup']);
}
function makeWakeupCb39(task: Task<unknown>): Callback {
  return bound(task, { '<TaskWakeupMethWrapper object>': (fut: Future<unknown>) => task.__wakeup(fut) }['<TaskWakeupMethWrapper object>']);
}
/** A bound method's `__self__`: base_events._format_handle shows that task for a slow callback. */
function bound(task: Task<unknown>, cb: Callback): Callback {
  (cb as { __self__?: unknown }).__self__ = task;
  return cb;
}

// ---------------------------------------------------------------------------
// The task registries
// ---------------------------------------------------------------------------

/** tasks._register_task. */
export function _register_task(rt: Runtime, task: Task<unknown>): void {
  rt.allTasks.add(task);
}

/** tasks._unregister_task. */
export function _unregister_task(rt: Runtime, task: Task<unknown>): void {
  rt.allTasks.delete(task);
}

/**
 * tasks._current_tasks[loop] lives on the loop itself (`_current_task`,
 * null when no task is executing): one field read/write per step instead of
 * a Map insert and delete.
 */
interface CurrentTaskSlot {
  _current_task?: Task<unknown> | null;
}

/** tasks._enter_task. */
export function _enter_task(rt: Runtime, loop: AbstractEventLoop, task: Task<unknown>): void {
  const slot = loop as unknown as CurrentTaskSlot;
  const current = slot._current_task;
  if (current !== undefined && current !== null) {
    throw new RuntimeError(`Cannot enter into task ${pyRepr(task)} while another task ${pyRepr(current)} is being executed.`);
  }
  slot._current_task = task;
}

/** tasks._leave_task. */
export function _leave_task(rt: Runtime, loop: AbstractEventLoop, task: Task<unknown>): void {
  const slot = loop as unknown as CurrentTaskSlot;
  const current = slot._current_task;
  if (current !== task) {
    throw new RuntimeError(`Leaving task ${pyRepr(task)} does not match the current task ${pyRepr(current ?? null)}.`);
  }
  slot._current_task = null;
}

/** tasks._swap_current_task (3.12). */
export function _swap_current_task(rt: Runtime, loop: AbstractEventLoop, task: Task<unknown> | null): Task<unknown> | null {
  const slot = loop as unknown as CurrentTaskSlot;
  const prev = slot._current_task ?? null;
  slot._current_task = task;
  return prev;
}

// ---------------------------------------------------------------------------
// Module functions
// ---------------------------------------------------------------------------

/** asyncio.current_task(loop=None): the task running on the loop, or None. */
export function current_task(rt: Runtime, loop: AbstractEventLoop | null = null): Task<unknown> | null {
  const l = loop ?? get_running_loop(rt);
  return (l as unknown as CurrentTaskSlot)._current_task ?? null;
}

/** asyncio.all_tasks(loop=None): the set of not-yet-done tasks of the loop. */
export function all_tasks(rt: Runtime, loop: AbstractEventLoop | null = null): Set<Task<unknown>> {
  const l = loop ?? get_running_loop(rt);
  const out = new Set<Task<unknown>>();
  for (const t of [...rt.allTasks, ...rt.eagerTasks] as Task<unknown>[]) {
    if (t._loop === l && !t.done()) out.add(t);
  }
  return out;
}

/**
 * asyncio.create_task(coro, *, name=None, context=None): schedule the
 * coroutine on the running loop. 3.8-3.12 create the task unnamed and then
 * rename it (so a 'Task-N' number is consumed even when a name is given);
 * 3.13 passes the name through.
 */
export function create_task(rt: Runtime, coro: Coroutine<unknown>, options: { name?: unknown; context?: Context | null } = {}): Task<unknown> {
  const refused = refusedTaskKeyword(rt.profile, options);
  if (refused !== null) throw new TypeError(`create_task() got an unexpected keyword argument '${refused}'`);
  const loop = get_running_loop(rt);
  const name = options.name ?? null;
  let task: Task<unknown>;
  if (rt.profile.minor >= 13) {
    task = loop.create_task(coro, { name, context: options.context ?? null }) as Task<unknown>;
  } else {
    task = loop.create_task(coro, options.context ? { context: options.context } : {}) as Task<unknown>;
    _set_task_name(task, name);
  }
  return task;
}

/** tasks._set_task_name. */
export function _set_task_name(task: unknown, name: unknown): void {
  if (name !== null && name !== undefined) {
    const t = task as { set_name?: (n: unknown) => void };
    if (typeof t.set_name === 'function') t.set_name(name);
  }
}

/**
 * asyncio.ensure_future(obj, *, loop=None): a Future is returned as is; a
 * coroutine is wrapped in a Task (on the given loop, else get_event_loop()).
 */
export function ensure_future(rt: Runtime, obj: unknown, loop: AbstractEventLoop | null = null): Future<unknown> {
  if (isfuture(obj)) {
    if (loop !== null && loop !== obj.get_loop()) {
      throw new ValueError('The future belongs to a different loop than the one specified as the loop argument');
    }
    return obj;
  }
  if (!iscoroutine(obj, rt.profile)) {
    // inspect.isawaitable(): any other iterable-with-__await__ is not modelled.
    throw new TypeError('An asyncio.Future, a coroutine or an awaitable is required');
  }
  const l = loop ?? get_event_loop(rt);
  try {
    return l.create_task(obj as Coroutine<unknown>) as Future<unknown>;
  } catch (e) {
    if (e instanceof RuntimeError && obj instanceof Coroutine && rt.profile.ensureFutureClosesOnError) obj.close();
    throw e;
  }
}

/** The loop= keyword of 3.7-3.9 APIs: deprecated 3.8-3.9, gone (TypeError) from 3.10. */
export function checkLoopArg(rt: Runtime, fn: string, options: { loop?: unknown } | undefined): AbstractEventLoop | null {
  if (!options || !('loop' in options)) return null;
  if (rt.profile.loopArgRemoved) throw new TypeError(`${fn}() got an unexpected keyword argument 'loop'`);
  const loop = (options.loop ?? null) as AbstractEventLoop | null;
  if (loop !== null && rt.profile.loopArgDeprecated) {
    rt.deprecated('The loop argument is deprecated since Python 3.8, and scheduled for removal in Python 3.10.');
  }
  return loop;
}

/**
 * asyncio.sleep(delay, result=None): a coroutine that completes after
 * `delay` seconds. delay <= 0 takes the `__sleep0` fast path: one bare
 * yield (one loop iteration), no future, no timer.
 */
export function makeSleep(rt: Runtime): (delay: number, result?: unknown, options?: { loop?: unknown }) => Coroutine<unknown> {
  const p = rt.profile;
  const warnLoop = (): void => rt.deprecated('The loop argument is deprecated since Python 3.8, and scheduled for removal in Python 3.10.');
  const body = asyncDef(function* sleep(delay: number, result: unknown, loop: AbstractEventLoop | null): Generator<unknown, unknown, unknown> {
    if (loop !== null && p.sleepLoopWarning === 'before-fast-path') warnLoop();
    if (delay <= 0) {
      yield null; // __sleep0(): @types.coroutine def __sleep0(): yield
      return result;
    }
    if (p.minor >= 13 && Number.isNaN(delay)) throw new ValueError('Invalid delay: NaN (not a number)');
    if (loop !== null && p.sleepLoopWarning === 'after-fast-path') warnLoop();
    const l = loop ?? (p.sleepUsesRunningLoop ? get_running_loop(rt) : get_event_loop(rt));
    const future = l.create_future() as Future<unknown>;
    const h = l.call_later(delay, _set_result_unless_cancelled as Callback, [future, result]);
    try {
      return yield* future;
    } finally {
      h.cancel();
    }
  }, { name: 'sleep', filename: 'asyncio/tasks.py' });
  return (delay: number, result: unknown = null, options?: { loop?: unknown }) => {
    // 3.10+: the unexpected keyword is a TypeError at the call, as for any
    // async def; 3.7-3.9 accept it and the body decides whether to warn.
    if (options && 'loop' in options && p.loopArgRemoved) throw new TypeError("sleep() got an unexpected keyword argument 'loop'");
    return body(delay, result, (options?.loop ?? null) as AbstractEventLoop | null);
  };
}

/** The eager task factory (3.12): create_eager_task_factory(Task). */
export function eager_task_factory(loop: AbstractEventLoop, coro: Coroutine<unknown>, options: { name?: unknown; context?: Context | null } = {}): Task<unknown> {
  return new Task(coro, { loop, name: options.name ?? null, context: options.context ?? null, eager_start: true });
}

export type { CoroutineFunction };
