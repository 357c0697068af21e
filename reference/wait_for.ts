/**
 * asyncio.wait_for (tasks.py `wait_for`), in its two implementations.
 *
 * Invariants:
 * - timeout None: plain `await aw` (no task is created for a coroutine
 *   before 3.12 either).
 * - timeout <= 0: aw is wrapped with ensure_future; if already done its
 *   result is returned, else it is cancelled and (3.8+) waited for, and
 *   TimeoutError raised (chained from the CancelledError); 3.9+ returns the
 *   result if the task suppressed the cancellation.
 * - Pre-3.12 (3.7-3.11): a waiter future, a timer calling _release_waiter
 *   and a done callback on aw race. On timeout aw is cancelled and waited
 *   for (bpo-32751, 3.7+), then TimeoutError (3.9+: aw's result if it
 *   suppressed the cancellation, bpo-40607). If wait_for itself is
 *   cancelled: 3.7 cancels aw and re-raises at once; 3.8+ returns aw's
 *   result if aw is already done (the cancellation is swallowed), else
 *   cancels aw, waits for it, and re-raises.
 * - 3.12+ (gh-96764): `async with timeouts.timeout(t): return await aw`.
 *   A coroutine is awaited inline, not wrapped in a task.
 * - TimeoutError is asyncio.TimeoutError (its own class before 3.11; 3.7:
 *   concurrent.futures.TimeoutError), the builtin from 3.11.
 */
import { AbstractEventLoop, Callback, Runtime, get_event_loop, get_running_loop } from "./events";
import { Future } from "./futures";
import { checkLoopArg, ensure_future } from "./tasks";
import { asyncDef, Coroutine } from "./coroutines";
import { TimeoutError as BuiltinTimeoutError, TypeError, raiseFrom } from "./exceptions";
import { _cancel_and_wait, _release_waiter, releaseWaiterCallback } from "./wait";
import { asyncWith, makeTimeouts } from "./timeouts";

/** Make `asyncio.wait_for(aw, timeout)` for a runtime. */
export function makeWaitFor(rt: Runtime) {
  const minor = rt.profile.minor;
  const x = rt.exceptions;
  const timeouts = minor >= 12 ? makeTimeouts(rt) : null;

  const legacy = asyncDef(function* wait_for(
    fut: unknown,
    timeout: number | null,
    loopArg: AbstractEventLoop | null,
  ): Generator<unknown, unknown, unknown> {
    let loop: AbstractEventLoop;
    if (minor === 7) {
      loop = loopArg ?? get_event_loop(rt);
    } else if (minor <= 9) {
      if (loopArg !== null) checkLoopArg(rt, "wait_for", { loop: loopArg });
      loop = loopArg ?? get_running_loop(rt);
    } else {
      loop = get_running_loop(rt);
    }

    if (timeout === null || timeout === undefined) {
      return yield* (fut as Iterable<unknown>);
    }

    if (timeout <= 0) {
      const f = ensure_future(rt, fut, loop);
      if (f.done()) return f.result();
      if (minor === 7) {
        f.cancel();
        throw new x.TimeoutError();
      }
      yield* _cancel_and_wait(f, loop);
      try {
        const r = f.result();
        if (minor === 8) throw new x.TimeoutError();
        return r;
      } catch (exc) {
        if (exc instanceof x.CancelledError) throw raiseFrom(new x.TimeoutError(), exc);
        throw exc;
      }
    }

    const waiter = loop.create_future() as Future<unknown>;
    const timeoutHandle = loop.call_later(timeout, _release_waiter as Callback, [waiter]);
    const cb = releaseWaiterCallback(waiter);

    const f = ensure_future(rt, fut, loop);
    f.add_done_callback(cb);

    try {
      // wait until the future completes or the timeout
      try {
        yield* waiter;
      } catch (exc) {
        if (!(exc instanceof x.CancelledError)) throw exc;
        if (minor === 7) {
          f.remove_done_callback(cb);
          f.cancel();
          throw exc;
        }
        if (f.done()) return f.result();
        f.remove_done_callback(cb);
        // We must ensure that the task is not running after wait_for()
        // returns. See https://bugs.python.org/issue32751
        yield* _cancel_and_wait(f, loop);
        throw exc;
      }

      if (f.done()) return f.result();
      f.remove_done_callback(cb);
      // bpo-32751: make sure the task is not running after wait_for() returns.
      yield* _cancel_and_wait(f, loop);
      if (minor <= 8) throw new x.TimeoutError();
      // In case task cancellation failed with some exception, we should
      // re-raise it. See https://bugs.python.org/issue40607
      try {
        return f.result();
      } catch (exc) {
        if (exc instanceof x.CancelledError) throw raiseFrom(new x.TimeoutError(), exc);
        throw exc;
      }
    } finally {
      timeoutHandle.cancel();
    }
  }, { name: "wait_for", filename: "asyncio/tasks.py" });

  const modern = asyncDef(function* wait_for(fut: unknown, timeout: number | null): Generator<unknown, unknown, unknown> {
    // The special case for timeout <= 0: the coroutine must not even start.
    if (timeout !== null && timeout !== undefined && timeout <= 0) {
      const f = ensure_future(rt, fut);
      if (f.done()) return f.result();
      yield* _cancel_and_wait(f, get_running_loop(rt));
      try {
        return f.result();
      } catch (exc) {
        if (exc instanceof x.CancelledError) throw raiseFrom(new BuiltinTimeoutError(), exc);
        throw exc;
      }
    }
    return yield* asyncWith(timeouts!.timeout(timeout ?? null), function* () {
      return yield* (fut as Iterable<unknown>);
    });
  }, { name: "wait_for", filename: "asyncio/tasks.py" });

  return function wait_for(fut: unknown, timeout: number | null = null, options?: { loop?: AbstractEventLoop | null }): Coroutine<unknown> {
    if (options && "loop" in options && rt.profile.loopArgRemoved) {
      throw new TypeError("wait_for() got an unexpected keyword argument 'loop'");
    }
    if (minor >= 12) return modern(fut, timeout);
    return legacy(fut, timeout, options?.loop ?? null);
  };
}

export type WaitFor = ReturnType<typeof makeWaitFor>;
