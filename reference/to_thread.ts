/**
 * asyncio.to_thread (threads.py, 3.9+).
 *
 * Invariants:
 * - `to_thread(func, *args, **kwargs)` is a coroutine: it copies the
 *   current contextvars context, submits `ctx.run(func, ...)` to the loop's
 *   default executor (one new simulated thread per call) and awaits the
 *   wrapped future. So the thread sees the caller's context variables, and
 *   what it sets stays in the copy (to_thread.context-propagated).
 * - The job starts at the loop's next select(), runs until it blocks or
 *   ends, and its result reaches the awaiting task through
 *   call_soon_threadsafe (futures._chain_future), i.e. after every runnable
 *   thread has blocked again (spec/VIRTUAL-TIME.md).
 */
import { Callback, Runtime, get_running_loop } from "./events";
import { Context } from "./contextvars";
import { asyncDef, Coroutine } from "./coroutines";
import { Future } from "./futures";
import { BlockingGen, threadingModule } from "./threads";
import { ConcurrentFuture, runtimeConcurrentErrors } from "./concurrent_futures";
import { Job, callMaybeBlocking, installThreads } from "./executor";

/**
 * `ctx.run(func, *args)` for a function that may block: the context stays
 * entered across the thread's blocking points (the scheduler saves and
 * restores the current context per participant).
 */
export function* contextRun(ctx: Context, fn: Job, args: unknown[]): BlockingGen<unknown> {
  ctx._enter();
  try {
    return yield* callMaybeBlocking(fn, args);
  } finally {
    ctx._exit();
  }
}

/** Make `asyncio.to_thread(func, args=[], kwargs=None)` for a runtime (3.9+; undefined before). */
export function makeToThread(rt: Runtime) {
  if (rt.profile.minor < 9) return undefined;
  const body = asyncDef(function* to_thread(func: Job, args: unknown[], kwargs: Record<string, unknown> | null): Generator<unknown, unknown, unknown> {
    const loop = get_running_loop(rt);
    const ctx = rt.contexts.current.copy();
    const callArgs = kwargs && Object.keys(kwargs).length ? [...args, kwargs] : [...args];
    const funcCall = () => contextRun(ctx, func, callArgs);
    (funcCall as { __qualname__?: string }).__qualname__ = "functools.partial";
    return yield* (loop.run_in_executor(null, funcCall as Callback) as Future<unknown>);
  }, { name: "to_thread", filename: "asyncio/threads.py" });
  return function to_thread(func: Job, args: unknown[] = [], kwargs: Record<string, unknown> | null = null): Coroutine<unknown> {
    installThreads(rt);
    return body(func, args, kwargs);
  };
}

/**
 * asyncio.ts hook: give every runtime on a virtual clock simulated threads,
 * and expose them as `asyncio.threading` (threading.Thread, current_thread,
 * time.sleep) and `asyncio.ConcurrentFuture` (concurrent.futures.Future()).
 */
export function attach(asyncio: { runtime: Runtime; [slot: string]: unknown }): void {
  const rt = asyncio.runtime;
  if (typeof (rt.scheduler.clock as { advanceTo?: unknown }).advanceTo !== "function") return;
  const s = installThreads(rt);
  asyncio.threading = threadingModule(s);
  const errors = runtimeConcurrentErrors(rt);
  asyncio.ConcurrentFuture = () => new ConcurrentFuture(s, errors);
}
