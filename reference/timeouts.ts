/**
 * asyncio.timeout / timeout_at / Timeout (timeouts.py, 3.11+), and the
 * `async with` protocol as generator code ({@link asyncWith}).
 *
 * Invariants:
 * - A Timeout moves CREATED -> ENTERED -> (EXPIRING -> EXPIRED | EXITED);
 *   it can be entered once.
 * - When the deadline passes while ENTERED, the enclosing task is cancelled
 *   (Task.cancel(), which counts in cancelling()) and the state becomes
 *   EXPIRING. On exit, the timeout uncancels the task; if that brings the
 *   count back to what it was at entry and a CancelledError is escaping,
 *   it is converted into TimeoutError (raised `from` the CancelledError).
 *   A cancellation from outside (count still above the entry value) keeps
 *   propagating as CancelledError.
 * - A deadline at or before loop.time() fires via call_soon (next
 *   iteration), a later one via call_at.
 * - 3.13 (gh-113848): any exception escaping an expired timeout counts
 *   (not only CancelledError): a CancelledError subclass becomes
 *   TimeoutError, other exceptions get a TimeoutError inserted into their
 *   __context__ chain above the CancelledError.
 */
import { AbstractEventLoop, Runtime, get_running_loop } from "./events";
import { BaseException, ExceptionGroup, RuntimeError, TimeoutError, floatRepr, raiseFrom } from "./exceptions";
import { Task, current_task } from "./tasks";
import { asyncDef, Coroutine } from "./coroutines";
import { roundFloat } from "./pyrepr";

/** An async context manager as generator code: `__aenter__` / `__aexit__` coroutines. */
export interface AsyncContextManager<T> {
  __aenter__(): Coroutine<T>;
  /** Returns truthy to suppress the exception. */
  __aexit__(exc: BaseException | null): Coroutine<unknown>;
}

/**
 * `async with cm as v: body(v)`: enter, run the body, exit with the escaping
 * exception (suppressed if __aexit__ returns truthy), or with None. An
 * exception raised by __aexit__ gets the body's exception as __context__.
 * Returns the body's return value (undefined when an exception was suppressed).
 */
export function* asyncWith<T, R>(
  cm: AsyncContextManager<T>,
  body: (value: T) => Generator<unknown, R, unknown>,
): Generator<unknown, R, unknown> {
  const value = (yield* cm.__aenter__()) as T;
  let result: R;
  try {
    result = yield* body(value);
  } catch (e) {
    let suppress: unknown;
    try {
      suppress = yield* cm.__aexit__(e as BaseException);
    } catch (e2) {
      if (e2 !== e && e2 instanceof BaseException && e2.__context__ === null && e instanceof BaseException) {
        e2.__context__ = e;
      }
      throw e2;
    }
    if (!suppress) throw e;
    return undefined as R;
  }
  yield* cm.__aexit__(null);
  return result;
}

type State = "created" | "active" | "expiring" | "expired" | "finished";

/** asyncio.Timeout: use timeout() or timeout_at() to make one. */
export class Timeout implements AsyncContextManager<Timeout> {
  _state: State = "created";
  _timeout_handler: { cancel(): void } | null = null;
  _task: Task<unknown> | null = null;
  _cancelling = 0;
  // Shared by every Timeout (on the prototype, below): from 3.12 wait_for()
  // makes one per call, and building two coroutine functions per instance
  // dominated that path.
  declare readonly __aenter__: () => Coroutine<Timeout>;
  declare readonly __aexit__: (exc: BaseException | null) => Coroutine<boolean | null>;

  constructor(readonly rt: Runtime, public _when: number | null) {}

  /** Return the current deadline. */
  when(): number | null {
    return this._when;
  }

  /** Reschedule the timeout (only while entered). */
  reschedule(when: number | null): void {
    if (this._state !== "active") {
      if (this._state === "created") throw new RuntimeError("Timeout has not been entered");
      throw new RuntimeError(`Cannot change state of ${this._state} Timeout`);
    }
    this._when = when;
    if (this._timeout_handler !== null) this._timeout_handler.cancel();
    if (when === null) {
      this._timeout_handler = null;
    } else {
      const loop: AbstractEventLoop = get_running_loop(this.rt);
      const onTimeout = () => this._on_timeout();
      (onTimeout as { __qualname__?: string }).__qualname__ = "Timeout._on_timeout";
      this._timeout_handler = when <= loop.time() ? loop.call_soon(onTimeout) : loop.call_at(when, onTimeout);
    }
  }

  /** Is timeout expired during execution? */
  expired(): boolean {
    return this._state === "expiring" || this._state === "expired";
  }

  __repr__(): string {
    const info = [""];
    if (this._state === "active") {
      // round(self._when, 3): correctly rounded, ties to even (not Math.round).
      const when = this._when !== null ? floatRepr(roundFloat(this._when, 3)) : "None";
      info.push(`when=${when}`);
    }
    return `<Timeout [${this._state}]${info.join(" ")}>`;
  }

  _enter(): Timeout {
    if (this._state !== "created") throw new RuntimeError("Timeout has already been entered");
    const task = current_task(this.rt);
    if (task === null) throw new RuntimeError("Timeout should be used inside a task");
    this._state = "active";
    this._task = task;
    this._cancelling = task.cancelling();
    this.reschedule(this._when);
    return this;
  }

  _exit(exc: BaseException | null): null {
    if (this._timeout_handler !== null) {
      this._timeout_handler.cancel();
      this._timeout_handler = null;
    }
    const CancelledError = this.rt.exceptions.CancelledError;
    if (this._state === "expiring") {
      this._state = "expired";
      if (this.rt.profile.minor >= 13) {
        if (this._task!.uncancel() <= this._cancelling && exc !== null) {
          // Since there are no new cancel requests, we're handling this.
          if (exc instanceof CancelledError) {
            throw raiseFrom(new TimeoutError(), exc);
          }
          Timeout._insert_timeout_error(exc, CancelledError);
          if ((exc as object) instanceof ExceptionGroup) { // 3.13 tests ExceptionGroup, not BaseExceptionGroup
            for (const e of (exc as ExceptionGroup).exceptions) Timeout._insert_timeout_error(e, CancelledError);
          }
        }
      } else if (this._task!.uncancel() <= this._cancelling && exc !== null && exc.constructor === CancelledError) {
        // Since there are no new cancel requests, we're handling this.
        throw raiseFrom(new TimeoutError(), exc);
      }
    } else if (this._state === "active") {
      this._state = "finished";
    }
    return null;
  }

  /** 3.13: put a TimeoutError above the first CancelledError in the __context__ chain. */
  static _insert_timeout_error(excVal: BaseException, CancelledError: new (...a: any[]) => BaseException): void {
    let e: BaseException = excVal;
    while (e.__context__ !== null) {
      if (e.__context__ instanceof CancelledError) {
        const te = new TimeoutError();
        te.__context__ = te.__cause__ = e.__context__;
        e.__context__ = te;
        break;
      }
      e = e.__context__;
    }
  }

  _on_timeout(): void {
    this._task!.cancel();
    this._state = "expiring";
    // drop the reference early
    this._timeout_handler = null;
  }
}

// asyncDef's wrapper passes `this` through, so one coroutine function per
// method serves every instance (names as in CPython: they show in reprs).
Object.defineProperties(Timeout.prototype, {
  __aenter__: {
    value: asyncDef(function* __aenter__(this: Timeout): Generator<unknown, Timeout, unknown> {
      return this._enter();
    }, { name: "__aenter__", qualname: "Timeout.__aenter__", filename: "asyncio/timeouts.py" }),
    writable: true, configurable: true,
  },
  __aexit__: {
    value: asyncDef(function* __aexit__(this: Timeout, exc: BaseException | null): Generator<unknown, boolean | null, unknown> {
      return this._exit(exc);
    }, { name: "__aexit__", qualname: "Timeout.__aexit__", filename: "asyncio/timeouts.py" }),
    writable: true, configurable: true,
  },
});

/** Make `asyncio.timeout(delay)` / `asyncio.timeout_at(when)` for a runtime. */
export function makeTimeouts(rt: Runtime) {
  return {
    /** timeout(delay): a Timeout at loop.time() + delay (None: never). */
    timeout(delay: number | null): Timeout {
      const loop = get_running_loop(rt);
      return new Timeout(rt, delay !== null && delay !== undefined ? loop.time() + delay : null);
    },
    /** timeout_at(when): a Timeout at an absolute loop time. */
    timeout_at(when: number | null): Timeout {
      return new Timeout(rt, when ?? null);
    },
  };
}


/** asyncio.ts factory: `asyncio.timeout` (3.11+; undefined before). */
export function makeTimeout(rt: Runtime) {
  return rt.profile.minor >= 11 ? makeTimeouts(rt).timeout : undefined;
}

/** asyncio.ts factory: `asyncio.timeout_at` (3.11+; undefined before). */
export function makeTimeoutAt(rt: Runtime) {
  return rt.profile.minor >= 11 ? makeTimeouts(rt).timeout_at : undefined;
}

/** asyncio.ts hook: `asyncio.Timeout` (3.11+). */
export function attach(asyncio: { runtime: Runtime; [k: string]: unknown }): void {
  if (asyncio.runtime.profile.minor >= 11) asyncio.Timeout = Timeout;
}
