/**
 * asyncio.run_coroutine_threadsafe (tasks.py), for code running in a
 * simulated thread (or the main thread) that wants a coroutine run on a loop.
 *
 * Invariants:
 * - Returns a concurrent.futures.Future at once; the coroutine is wrapped
 *   in a task only when the loop runs the callback posted with
 *   call_soon_threadsafe (which wakes the loop's select).
 * - The task and the concurrent future are chained (futures._chain_future):
 *   the task's outcome is copied onto the concurrent future on the loop's
 *   thread (waking any thread blocked in result()); cancelling the
 *   concurrent future cancels the task via call_soon_threadsafe.
 * - If wrapping fails (e.g. the loop is closed), the exception is set on
 *   the concurrent future and re-raised in the loop's callback (3.8+: all
 *   but SystemExit/KeyboardInterrupt; 3.7: Exceptions only).
 */
import { AbstractEventLoop, Runtime, handledByLoop } from "./events";
import { _chain_future } from "./futures";
import { ensure_future } from "./tasks";
import { iscoroutine } from "./coroutines";
import { TypeError } from "./exceptions";
import { ConcurrentFuture, runtimeConcurrentErrors } from "./concurrent_futures";
import { installThreads } from "./executor";

/** Make `asyncio.run_coroutine_threadsafe(coro, loop)` for a runtime. */
export function makeRunCoroutineThreadsafe(rt: Runtime) {
  return function run_coroutine_threadsafe(coro: unknown, loop: AbstractEventLoop): ConcurrentFuture {
    if (!iscoroutine(coro, rt.profile)) throw new TypeError("A coroutine object is required");
    const scheduler = installThreads(rt);
    const future = new ConcurrentFuture(scheduler, runtimeConcurrentErrors(rt));

    const callback = (): void => {
      try {
        _chain_future(rt, ensure_future(rt, coro, loop), future as never);
      } catch (exc) {
        if (handledByLoop(exc, rt.profile) && future.set_running_or_notify_cancel()) future.set_exception(exc);
        throw exc;
      }
    };
    (callback as { __qualname__?: string }).__qualname__ = "run_coroutine_threadsafe.<locals>.callback";

    loop.call_soon_threadsafe(callback);
    return future;
  };
}
