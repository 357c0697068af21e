/**
 * The default executor (`concurrent.futures.ThreadPoolExecutor`) on
 * simulated threads, and how threads are installed into a runtime.
 *
 * Invariants (spec/VIRTUAL-TIME.md, "Participants"):
 * - Every submitted job gets its own new thread, started at submission, in
 *   submission order; no job ever queues behind another. (CPython reuses idle
 *   workers and caps their number; the contract fixes one thread per job.)
 *   A started thread first runs at the main thread's next blocking point,
 *   i.e. the loop's next select().
 * - A job runs `_WorkItem.run`: `set_running_or_notify_cancel()` first (a
 *   job cancelled before its thread ran is skipped), then the callable; its
 *   return value or exception completes the concurrent future on the worker
 *   thread, so the future's done callbacks run there.
 * - Thread names follow CPython: `<prefix>_<n>`, n counting from 0 per
 *   executor; asyncio's default executor uses the prefix "asyncio" (3.9+),
 *   earlier ones "ThreadPoolExecutor-<k>_<n>".
 */
import { ConcurrentErrors, ConcurrentFuture, runtimeConcurrentErrors } from "./concurrent_futures";
import { BlockingGen, ContextSwitch, SchedulerClock, Thread, ThreadScheduler, runBlocking } from "./threads";
import { AbstractEventLoop, Callback, Runtime, ThreadState } from "./events";
import { Context } from "./contextvars";
import { Exception as PyException, RuntimeWarning, ExceptionClass } from "./exceptions";
import { Future, _set_result_unless_cancelled } from "./futures";
import { isGenerator } from "./coroutines";

/** A job: a plain function, or a generator function when it may block. */
export type Job = (...args: any[]) => unknown;

/**
 * Run `fn(...args)` on the current participant, following it into a
 * generator if it returns one (a blocking job). A Coroutine is not one: an
 * `async def` called in a thread only creates the coroutine object, which
 * is the job's result (reference/test/cpython/tt2.py).
 */
export function* callMaybeBlocking(fn: Job, args: unknown[]): BlockingGen<unknown> {
  const r = fn(...args);
  if (isGenerator(r)) return yield* (r as BlockingGen<unknown>);
  return r;
}

export class ThreadPoolExecutor {
  readonly threads: Thread[] = [];
  private shutdownFlag = false;
  readonly prefix: string;

  constructor(
    readonly scheduler: ThreadScheduler,
    readonly errors: ConcurrentErrors,
    threadNamePrefix: string | null = null,
  ) {
    this.prefix = threadNamePrefix || `ThreadPoolExecutor-${scheduler.nextExecutorNumber()}`;
  }

  /** `submit(fn, *args)`: start a new worker thread for the job. */
  submit(fn: Job, ...args: unknown[]): ConcurrentFuture {
    if (this.shutdownFlag) throw this.errors.RuntimeError("cannot schedule new futures after shutdown");
    const f = new ConcurrentFuture(this.scheduler, this.errors);
    const name = `${this.prefix}_${this.threads.length}`;
    const t = new Thread(this.scheduler, { name, target: () => runWorkItem(f, fn, args), daemon: true });
    this.threads.push(t);
    t.start();
    return f;
  }

  /** `shutdown(wait=True)` as a blocking generator: refuse new jobs; with wait, join every worker. */
  *shutdownGen(wait = true): BlockingGen<void> {
    this.shutdownFlag = true;
    if (!wait) return;
    for (const t of this.threads) yield* t.joinGen();
  }

  /** `shutdown(wait=True)` on the main thread. */
  shutdown(wait = true): void {
    if (!wait) {
      this.shutdownFlag = true;
      return;
    }
    runBlocking(this.scheduler, this.shutdownGen(wait));
  }

  /**
   * The body of `loop.shutdown_default_executor(timeout=None)` (3.9+), as
   * base_events.ts delegates it: start a thread that shuts the executor down
   * and reports back with call_soon_threadsafe; await that; join the thread.
   */
  *shutdownFromLoop(loop: AbstractEventLoop, timeout: number | null): Generator<unknown, unknown, unknown> {
    const rt = loop.runtime;
    const minor = rt.profile.minor;
    const future = loop.create_future() as Future<unknown>;
    const doShutdown = function* _do_shutdown(this: ThreadPoolExecutor): BlockingGen<void> {
      try {
        yield* this.shutdownGen(true);
        if (minor < 10 || !loop.is_closed()) {
          if (minor >= 13) loop.call_soon_threadsafe(_set_result_unless_cancelled as Callback, [future, null]);
          else loop.call_soon_threadsafe((r: unknown) => future.set_result(r), [null]);
        }
      } catch (ex) {
        if (!(ex instanceof PyException)) throw ex;
        if (minor < 10 || (!loop.is_closed() && (minor < 13 || !future.cancelled()))) {
          loop.call_soon_threadsafe((e: unknown) => future.set_exception(e as PyException), [ex]);
        }
      }
    }.bind(this);
    const thread = new Thread(this.scheduler, { target: doShutdown });
    thread.start();
    if (minor >= 13) {
      const { makeTimeouts, asyncWith } = require("./timeouts") as typeof import("./timeouts");
      try {
        yield* asyncWith(makeTimeouts(rt).timeout(timeout), function* () {
          yield* future;
        });
      } catch (e) {
        if (!(e instanceof rt.exceptions.TimeoutError)) throw e;
        rt.warnings.warn(`The executor did not finishing joining its threads within ${timeout} seconds.`, RuntimeWarning as unknown as ExceptionClass);
        this.shutdown(false);
        return null;
      }
      thread.join();
      return null;
    }
    try {
      yield* future;
    } finally {
      thread.join(minor >= 12 ? timeout : null);
    }
    if (minor >= 12 && thread.is_alive()) {
      rt.warnings.warn(`The executor did not finishing joining its threads within ${timeout} seconds.`, RuntimeWarning as unknown as ExceptionClass);
      this.shutdown(false);
    }
    return null;
  }
}

/** `_WorkItem.run` */
function* runWorkItem(f: ConcurrentFuture, fn: Job, args: unknown[]): BlockingGen<void> {
  if (!f.set_running_or_notify_cancel()) return;
  let result: unknown;
  try {
    result = yield* callMaybeBlocking(fn, args);
  } catch (exc) {
    f.set_exception(exc);
    return;
  }
  f.set_result(result);
}

/**
 * Give a runtime simulated threads: replace its idle hook with a
 * ThreadScheduler on the same virtual clock (once), switch contextvars and
 * per-thread asyncio state when participants switch, and install the
 * default-executor factory. Returns the scheduler.
 */
export function installThreads(rt: Runtime): ThreadScheduler {
  const existing = rt.slots.get("threads");
  if (existing instanceof ThreadScheduler) return existing;
  let scheduler: ThreadScheduler;
  if (rt.scheduler instanceof ThreadScheduler) {
    // A scheduler handed to createAsyncio: make it switch this runtime's state.
    scheduler = rt.scheduler;
    scheduler.contexts ??= runtimeSwitch(rt);
  } else {
    const clock = rt.scheduler.clock;
    if (typeof (clock as Partial<SchedulerClock>).advanceTo !== "function") {
      throw new Error("simulated threads need a virtual clock");
    }
    scheduler = new ThreadScheduler({ clock: clock as SchedulerClock, version: [3, rt.profile.minor], contexts: runtimeSwitch(rt) });
    rt.scheduler = scheduler;
  }
  rt.slots.set("threads", scheduler);
  installExecutorFactory(rt, scheduler);
  return scheduler;
}

/** What changes when participants switch: the current context and the per-thread asyncio state. */
function runtimeSwitch(rt: Runtime): ContextSwitch {
  return {
    get: () => ({ ctx: rt.contexts.current, thread: rt.thread }),
    set: (st) => {
      const s = st as { ctx: Context; thread: ThreadState };
      rt.contexts.current = s.ctx;
      rt.thread = s.thread;
    },
    fresh: (t) => ({
      ctx: new Context(rt.contexts),
      thread: { runningLoop: null, policyLoop: null, policySetCalled: false, name: t.name, isMain: false } as ThreadState,
    }),
  };
}

function installExecutorFactory(rt: Runtime, scheduler: ThreadScheduler): void {
  const errors = runtimeConcurrentErrors(rt);
  rt.executorFactory = () =>
    new ThreadPoolExecutor(scheduler, errors, rt.profile.minor >= 9 ? "asyncio" : null) as unknown as ReturnType<NonNullable<Runtime["executorFactory"]>>;
}
