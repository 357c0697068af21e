/**
 * runners: asyncio.run(main, *, debug=None).
 *
 * Invariants (per version, CPython runners.py):
 * - Refused inside a running loop ('asyncio.run() cannot be called from a
 *   running event loop'); a non-coroutine is a ValueError ('a coroutine was
 *   expected, got ...') — before creating a loop up to 3.10, after creating
 *   (and then closing) one from 3.11 (Runner.run checks inside the `with`).
 * - Every call creates a new loop, sets it as the current loop, runs `main`
 *   as a Task, then: cancels every leftover task and waits for them
 *   (_cancel_all_tasks), runs loop.shutdown_asyncgens(), and from 3.9
 *   loop.shutdown_default_executor(), each as its own run_until_complete
 *   (so each consumes a 'Task-N' number); finally set_event_loop(None) and
 *   close().
 * - 3.11+: main runs in a copy of the context taken when the Runner
 *   initialised; Runner.run's CancelledError handling for SIGINT is not
 *   modelled (no signals).
 */

import { Coroutine, asyncDef, iscoroutine } from './coroutines';
import type { AbstractEventLoop } from './events';
import { _get_running_loop, new_event_loop, set_event_loop, Runtime } from './events';
import { RuntimeError, TypeError, ValueError, pyRepr, BaseException } from './exceptions';
import { Future } from './futures';
import { makeGather } from './gather';
import { Task, all_tasks } from './tasks';

/** The gather() the shutdown uses: gather(*tasks, return_exceptions=True). */
export type ShutdownGather = (loop: AbstractEventLoop, tasks: Task<unknown>[]) => Future<unknown>;

/**
 * runners.py calls tasks.gather itself (3.7-3.8 with loop=loop; 3.9's
 * _gather and 3.10+'s gather find the running loop), so the shutdown uses
 * gather.ts for the runtime, not whatever asyncio.gather is bound to.
 */
function shutdownGather(rt: Runtime): ShutdownGather {
  const gather = makeGather(rt);
  return rt.profile.minor <= 8
    ? (loop, tasks) => gather(tasks, { return_exceptions: true, loop })
    : (_loop, tasks) => gather(tasks, { return_exceptions: true });
}

/** runners._cancel_all_tasks(loop). */
export function _cancel_all_tasks(rt: Runtime, loop: AbstractEventLoop, gather: ShutdownGather): void {
  const toCancel = [...all_tasks(rt, loop)];
  if (!toCancel.length) return;
  for (const task of toCancel) task.cancel();
  loop.run_until_complete(gather(loop, toCancel));
  for (const task of toCancel) {
    if (task.cancelled()) continue;
    const exc = task.exception();
    if (exc !== null) {
      loop.call_exception_handler({ message: 'unhandled exception during asyncio.run() shutdown', exception: exc, task });
    }
  }
}

export interface RunOptions {
  debug?: boolean | null;
  /** 3.12+: loop_factory. */
  loop_factory?: (() => AbstractEventLoop) | null;
}

/** Build asyncio.run for a runtime. */
export function makeRun(rt: Runtime) {
  const gather = shutdownGather(rt);
  return function run(main: unknown, options: RunOptions = {}): unknown {
    if (_get_running_loop(rt) !== null) {
      throw new RuntimeError('asyncio.run() cannot be called from a running event loop');
    }
    return rt.profile.runner ? runWithRunner(rt, main, options, gather) : runClassic(rt, main, options, gather);
  };
}

function finalize(rt: Runtime, loop: AbstractEventLoop, gather: ShutdownGather, timeout: number | null): void {
  _cancel_all_tasks(rt, loop, gather);
  loop.run_until_complete(loop.shutdown_asyncgens());
  if (rt.profile.runShutsDownDefaultExecutor) {
    loop.run_until_complete(rt.profile.shutdownExecutorTimeout ? loop.shutdown_default_executor(timeout) : loop.shutdown_default_executor());
  }
}

/** 3.7-3.10 runners.run. */
function runClassic(rt: Runtime, main: unknown, options: RunOptions, gather: ShutdownGather): unknown {
  if (!iscoroutine(main, rt.profile)) throw new ValueError(`a coroutine was expected, got ${pyRepr(main)}`);
  const loop = new_event_loop(rt);
  let hostError = false;
  try {
    set_event_loop(rt, loop);
    // 3.7: debug=False is always applied; 3.8+: only when given.
    if (rt.profile.minor === 7) loop.set_debug(Boolean(options.debug));
    else if (options.debug !== null && options.debug !== undefined) loop.set_debug(options.debug);
    return loop.run_until_complete(main);
  } catch (e) {
    hostError = !(e instanceof BaseException);
    throw e;
  } finally {
    try {
      finalizeUnlessHostError(hostError, () => finalize(rt, loop, gather, null));
    } finally {
      set_event_loop(rt, null);
      loop.close();
    }
  }
}

/**
 * A host (JS) error or Deadlock escaping the loop is not a Python outcome:
 * still try to shut down, but never let the shutdown mask the original.
 */
function finalizeUnlessHostError(hostError: boolean, fin: () => void): void {
  if (!hostError) return fin();
  try {
    fin();
  } catch {
    /* the original host error is what matters */
  }
}

/** constants.THREAD_JOIN_TIMEOUT (3.12). */
const THREAD_JOIN_TIMEOUT = 300;

/** 3.11+ runners.Runner, as `asyncio.run` uses it (one run, then close). */
function runWithRunner(rt: Runtime, main: unknown, options: RunOptions, gather: ShutdownGather): unknown {
  // Runner.__enter__ -> _lazy_init
  let loop: AbstractEventLoop;
  let setLoop = false;
  if (options.loop_factory && rt.profile.runLoopFactory) {
    loop = options.loop_factory();
  } else {
    loop = new_event_loop(rt);
    set_event_loop(rt, loop);
    setLoop = true;
  }
  let hostError = false;
  try {
    if (options.debug !== null && options.debug !== undefined) loop.set_debug(options.debug);
    const context = rt.contexts.current.copy();
    // Runner.run
    if (!iscoroutine(main, rt.profile)) {
      if (!rt.profile.runAcceptsAwaitables) throw new ValueError(`a coroutine was expected, got ${pyRepr(main)}`);
      // 3.14 wraps an awaitable (a Future/Task here) in a coroutine that awaits it.
      if (!(main instanceof Future)) throw new TypeError('An asyncio.Future, a coroutine or an awaitable is required');
      const awaitable = main;
      main = asyncDef(function* _wrap_awaitable() {
        return yield* awaitable;
      })();
    }
    if (_get_running_loop(rt) !== null) throw new RuntimeError('Runner.run() cannot be called from a running event loop');
    // Before 3.11 run() lets the task copy the current context itself (no context= yet).
    const task = loop.create_task(main as Coroutine<unknown>, rt.profile.taskContextArg ? { context } : {});
    return loop.run_until_complete(task);
  } catch (e) {
    hostError = !(e instanceof BaseException);
    throw e;
  } finally {
    // Runner.close
    try {
      finalizeUnlessHostError(hostError, () => finalize(rt, loop, gather, THREAD_JOIN_TIMEOUT));
    } finally {
      if (setLoop) set_event_loop(rt, null);
      loop.close();
    }
  }
}

