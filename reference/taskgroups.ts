/**
 * asyncio.TaskGroup (taskgroups.py, 3.11+).
 *
 * Invariants:
 * - A TaskGroup is entered once, inside a task (its parent). Tasks created
 *   with create_task() are tracked until done; __aexit__ waits for all of
 *   them, however often the parent is cancelled meanwhile.
 * - The first child that fails with an exception other than CancelledError
 *   aborts the group: every other child is cancelled, and the parent task is
 *   cancelled once (so the body's pending await is interrupted); __aexit__
 *   later uncancels the parent, so the cancellation does not leak.
 * - On exit, errors are raised as one BaseExceptionGroup ("unhandled
 *   errors in a TaskGroup"), an ExceptionGroup when all are Exceptions;
 *   KeyboardInterrupt/SystemExit are re-raised as is; a CancelledError of the
 *   parent propagates only if there are no errors.
 * - 3.12+: a task already done at create_task (eager start) is handled at
 *   once. 3.13: create_task on a closed group closes the coroutine; the
 *   parent's uncancel happens after the children are awaited, and a parent
 *   cancelled from outside is re-cancelled so its count stays stable.
 */
import { AbstractEventLoop, Callback, Runtime, get_running_loop } from "./events";
import { BaseException, BaseExceptionGroup, KeyboardInterrupt, RuntimeError, SystemExit } from "./exceptions";
import { Future } from "./futures";
import { Task, current_task, _set_task_name } from "./tasks";
import { asyncDef, Coroutine } from "./coroutines";
import type { Context } from "./contextvars";

function isBaseError(exc: BaseException): boolean {
  return exc instanceof SystemExit || exc instanceof KeyboardInterrupt;
}

/** The part of a TaskGroup its __aenter__ / __aexit__ call. */
interface TaskGroupLike {
  _enter(): unknown;
  _exit(exc: BaseException | null): Generator<unknown, null, unknown>;
}

// One coroutine function per method for every TaskGroup class and instance:
// asyncDef's wrapper passes `this` through. Names as in CPython (reprs).
const taskGroupAenter = asyncDef(function* __aenter__(this: TaskGroupLike): Generator<unknown, unknown, unknown> {
  return this._enter();
}, { name: "__aenter__", qualname: "TaskGroup.__aenter__", filename: "asyncio/taskgroups.py" });
const taskGroupAexit = asyncDef(function* __aexit__(this: TaskGroupLike, exc: BaseException | null): Generator<unknown, null, unknown> {
  return yield* this._exit(exc);
}, { name: "__aexit__", qualname: "TaskGroup.__aexit__", filename: "asyncio/taskgroups.py" });

/** asyncio.ts factory: the `asyncio.TaskGroup` class (3.11+; undefined before). */
export function makeTaskGroup(rt: Runtime): TaskGroupClass | undefined {
  return rt.profile.minor >= 11 ? taskGroupClass(rt) : undefined;
}

/** The `asyncio.TaskGroup` class for a runtime (any profile; tests use it directly). */
export function taskGroupClass(rt: Runtime) {
  const minor = rt.profile.minor;
  const CancelledError = rt.exceptions.CancelledError;

  const TaskGroup = class TaskGroup {
    _entered = false;
    _exiting = false;
    _aborting = false;
    _loop: AbstractEventLoop | null = null;
    _parent_task: Task<unknown> | null = null;
    _parent_cancel_requested = false;
    _tasks = new Set<Task<unknown>>();
    _errors: BaseException[] | null = [];
    _base_error: BaseException | null = null;
    _on_completed_fut: Future<unknown> | null = null;
    // Shared coroutine functions on the prototype (set below), not two new
    // ones per TaskGroup.
    declare readonly __aenter__: () => Coroutine<TaskGroup>;
    declare readonly __aexit__: (exc: BaseException | null) => Coroutine<null>;

    __repr__(): string {
      const info = [""];
      if (this._tasks.size) info.push(`tasks=${this._tasks.size}`);
      if (this._errors && this._errors.length) info.push(`errors=${this._errors.length}`);
      if (this._aborting) info.push("cancelling");
      else if (this._entered) info.push("entered");
      return `<TaskGroup${info.join(" ")}>`;
    }

    _enter(): this {
      if (this._entered) throw new RuntimeError(`TaskGroup ${this.__repr__()} has already been entered`);
      if (this._loop === null) this._loop = get_running_loop(rt);
      this._parent_task = current_task(rt, this._loop);
      if (this._parent_task === null) {
        throw new RuntimeError(`TaskGroup ${this.__repr__()} cannot determine the parent task`);
      }
      this._entered = true;
      return this;
    }

    *_exit(exc: BaseException | null): Generator<unknown, null, unknown> {
      this._exiting = true;
      if (exc !== null && isBaseError(exc) && this._base_error === null) this._base_error = exc;

      const isCancel = (e: BaseException | null) =>
        e !== null && (minor >= 13 ? e instanceof CancelledError : e.constructor === CancelledError);
      let propagateCancellationError: BaseException | null = isCancel(exc) ? exc : null;
      if (minor < 13 && this._parent_cancel_requested) {
        // If this flag is set we *must* call uncancel().
        if (this._parent_task!.uncancel() === 0) {
          // If there are no pending cancellations left, don't propagate CancelledError.
          propagateCancellationError = null;
        }
      }

      if (exc !== null && !this._aborting) {
        // Our parent task is being cancelled, or there's an exception in
        // the "async with" body.
        this._abort();
      }

      // A loop: _on_completed_fut can be cancelled several times if our
      // parent task is being cancelled repeatedly.
      while (this._tasks.size) {
        if (this._on_completed_fut === null) this._on_completed_fut = this._loop!.create_future() as Future<unknown>;
        try {
          yield* this._on_completed_fut;
        } catch (ex) {
          if (!(ex instanceof CancelledError)) throw ex;
          if (!this._aborting) {
            // Our parent task is being cancelled while children still run.
            propagateCancellationError = ex;
            this._abort();
          }
        }
        this._on_completed_fut = null;
      }

      if (minor >= 13 && this._parent_cancel_requested) {
        // If this flag is set we *must* call uncancel().
        if (this._parent_task!.uncancel() === 0) propagateCancellationError = null;
      }

      if (this._base_error !== null) throw this._base_error;

      // Propagate CancelledError if there is one, except if there are other
      // errors -- those have priority.
      const errors = this._errors!;
      if (propagateCancellationError !== null && errors.length === 0) throw propagateCancellationError;

      if (exc !== null && !isCancel(exc)) errors.push(exc);

      if (errors.length) {
        // 3.13: a parent cancelled from outside is uncancelled and
        // re-cancelled, keeping the count stable.
        if (minor >= 13 && this._parent_task!.cancelling()) {
          this._parent_task!.uncancel();
          this._parent_task!.cancel();
        }
        const me = BaseExceptionGroup.create("unhandled errors in a TaskGroup", errors);
        this._errors = null;
        me.__suppress_context__ = true; // raise me from None
        me.__cause__ = null;
        throw me;
      }
      return null;
    }

    /** Create a new task in this group and return it (like asyncio.create_task). */
    create_task(coro: Coroutine<unknown>, options: { name?: unknown; context?: Context | null } = {}): Task<unknown> {
      const close = () => {
        if (minor >= 13) coro.close();
      };
      if (!this._entered) {
        close();
        throw new RuntimeError(`TaskGroup ${this.__repr__()} has not been entered`);
      }
      if (this._exiting && this._tasks.size === 0) {
        close();
        throw new RuntimeError(`TaskGroup ${this.__repr__()} is finished`);
      }
      if (this._aborting) {
        close();
        throw new RuntimeError(`TaskGroup ${this.__repr__()} is shutting down`);
      }
      const context = options.context ?? null;
      let task: Task<unknown>;
      if (minor >= 13) {
        task = this._loop!.create_task(coro, { name: (options.name ?? null) as string | null, context }) as Task<unknown>;
      } else {
        task = this._loop!.create_task(coro, context === null ? {} : { context }) as Task<unknown>;
        _set_task_name(task, options.name ?? null);
      }
      const onDone = (t: Task<unknown>) => this._on_task_done(t);
      (onDone as { __qualname__?: string }).__qualname__ = "TaskGroup._on_task_done";
      if (minor >= 12 && task.done()) {
        // Eagerly completed: skip scheduling a done callback.
        this._on_task_done(task);
      } else if (minor >= 12) {
        this._tasks.add(task);
        task.add_done_callback(onDone as Callback);
      } else {
        task.add_done_callback(onDone as Callback);
        this._tasks.add(task);
      }
      return task;
    }

    _abort(): void {
      this._aborting = true;
      for (const t of this._tasks) if (!t.done()) t.cancel();
    }

    _on_task_done(task: Task<unknown>): void {
      this._tasks.delete(task);
      if (this._on_completed_fut !== null && this._tasks.size === 0) {
        if (!this._on_completed_fut.done()) this._on_completed_fut.set_result(true);
      }
      if (task.cancelled()) return;
      const exc = task.exception();
      if (exc === null) return;

      this._errors!.push(exc);
      if (isBaseError(exc) && this._base_error === null) this._base_error = exc;

      if (this._parent_task!.done()) {
        // Not sure if this case is possible, but we want to handle it anyways.
        this._loop!.call_exception_handler({
          message: `Task ${task.__repr__()} has errored out but its parent task ${this._parent_task!.__repr__()} is already completed`,
          exception: exc,
          task,
        });
        return;
      }

      if (!this._aborting && !this._parent_cancel_requested) {
        // The parent task is not being cancelled: cancel it ourselves to
        // abort whatever it awaits in the body, and un-cancel it later in
        // __aexit__.
        this._abort();
        this._parent_cancel_requested = true;
        this._parent_task!.cancel();
      }
    }
  };
  Object.defineProperties(TaskGroup.prototype, {
    __aenter__: { value: taskGroupAenter, writable: true, configurable: true },
    __aexit__: { value: taskGroupAexit, writable: true, configurable: true },
  });
  return TaskGroup;
}

export type TaskGroupClass = ReturnType<typeof taskGroupClass>;
export type TaskGroup = InstanceType<TaskGroupClass>;
