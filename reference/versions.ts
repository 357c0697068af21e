/**
 * Version profiles: which CPython release the reference runtime behaves as.
 *
 * Invariants:
 * - A Profile is immutable and holds only switches; no behaviour lives here.
 *   Code asks `profile.someSwitch`, never compares version strings, so each
 *   difference between releases is named once, here, with the change that
 *   introduced it.
 * - "3.14" follows the 3.13 sources plus the documented 3.14 changes.
 * - The default profile is 3.10: the documentation page the corpus covers is
 *   the 3.10 edition.
 */

export type PythonVersion = '3.7' | '3.8' | '3.9' | '3.10' | '3.11' | '3.12' | '3.13' | '3.14';

export const PYTHON_VERSIONS: readonly PythonVersion[] = ['3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];

/** The default profile: the docs page is the 3.10 edition. */
export const DEFAULT_PYTHON: PythonVersion = '3.10';

/**
 * How a cancellation message reaches `result()` / `exception()` / an awaiter.
 * - 'none': cancel() takes no message (3.7, 3.8).
 * - 'context': 3.9-3.10. `_make_cancelled_error` builds a fresh
 *   CancelledError(msg) chained (`__context__`) to the one the coroutine
 *   raised; a task cancelled by its coroutine re-cancels with msg=None, so its
 *   awaiter sees CancelledError() whose __context__ carries the message.
 * - 'saved': 3.11+ (gh-31383, bpo-45390). The exception the coroutine raised
 *   is saved in `_cancelled_exc` and re-raised as is, once; later calls build
 *   CancelledError(_cancel_message).
 */
export type CancelMessageStyle = 'none' | 'context' | 'saved';

/**
 * What `get_event_loop()` does when no loop is running and the policy has
 * none set (measured on 3.7.16 ... 3.13.0).
 * - 'create': 3.7-3.11 (the measured 3.10.13/3.11.7 reverted the 3.10.0-3.10.8
 *   warning, gh-93453): the policy silently creates a loop in the main thread.
 * - 'warn': 3.12-3.13: the policy emits DeprecationWarning
 *   'There is no current event loop' and creates one.
 * - 'error': 3.14 (gh-126353): RuntimeError, no implicit creation.
 */
export type GetEventLoopStyle = 'create' | 'warn' | 'error';

export interface Profile {
  readonly version: PythonVersion;
  readonly minor: number;
  /** bpo-32528 (3.8): CancelledError derives from BaseException; in 3.7 it is concurrent.futures.CancelledError (an Exception). */
  readonly cancelledErrorIsBaseException: boolean;
  /** bpo-42413 (3.11): asyncio.TimeoutError and concurrent.futures.TimeoutError are the builtin TimeoutError. */
  readonly timeoutErrorIsBuiltin: boolean;
  /** bpo-32363 (3.8): asyncio.exceptions module; InvalidStateError moved from asyncio.base_futures. */
  readonly exceptionsModule: boolean;
  /** bpo-34270 (3.8): Task names (get_name/set_name, name= in create_task, 'Task-N' default, name in repr). */
  readonly taskNames: boolean;
  /** bpo-31033 (3.9): cancel(msg). */
  readonly cancelMessage: boolean;
  readonly cancelMessageStyle: CancelMessageStyle;
  /** bpo-46771 (3.11): Task.cancelling()/uncancel(). */
  readonly cancelling: boolean;
  /**
   * 3.11 (base_tasks._task_repr_info, with bpo-46771's cancelling()): a Task
   * repr says 'cancelling' while `cancelling() and not done()`; 3.7-3.10
   * only while `_must_cancel`, so a task whose awaited future took the
   * cancel still reads 'pending' (reference/test/cpython/tk2.py).
   */
  readonly reprCancellingFromCount: boolean;
  /** gh-91150 (3.13): uncancel() to 0 clears a pending _must_cancel. */
  readonly uncancelClearsMustCancel: boolean;
  /** bpo-46994 (3.11): create_task(context=...) and Task(context=...). */
  readonly taskContextArg: boolean;
  /**
   * 3.10 (measured on 3.10.13): a future keeps its exception's traceback as
   * set_exception saw it and puts it back on the next raise only; later
   * raises start from an empty traceback. Before, tracebacks accumulate.
   */
  readonly futureExceptionTb: boolean;
  /** gh-102853 (3.12): Task.get_context(). */
  readonly taskGetContext: boolean;
  /** gh-97696 (3.12): eager_task_factory / Task(eager_start=). */
  readonly eagerTasks: boolean;
  /** bpo-36373 (3.8-3.9): passing loop= to high-level APIs emits DeprecationWarning. */
  readonly loopArgDeprecated: boolean;
  /**
   * Where asyncio.sleep(loop=) warns (tasks.py): 'after-fast-path' on 3.8
   * (sleep(0, loop=l) never warns), 'before-fast-path' on 3.9; both inside
   * the coroutine body, so creating the coroutine does not warn. null: no
   * warning (3.7; 3.10+ reject loop= at the call).
   */
  readonly sleepLoopWarning: 'after-fast-path' | 'before-fast-path' | null;
  /** 3.8 (tasks.sleep): sleep() finds its loop with get_running_loop(); 3.7 with get_event_loop(). */
  readonly sleepUsesRunningLoop: boolean;
  /** bpo-42392 (3.10): the loop= parameter is gone: TypeError for an unexpected keyword argument. */
  readonly loopArgRemoved: boolean;
  /**
   * @asyncio.coroutine: 'plain' (3.7), 'deprecated' (3.8-3.10, bpo-36921:
   * DeprecationWarning at decoration), 'removed' (3.11, bpo-43216).
   */
  readonly coroutineDecorator: 'plain' | 'deprecated' | 'removed';
  /** gh-102748 (3.12): asyncio.iscoroutine() no longer accepts generators. */
  readonly iscoroutineAcceptsGenerators: boolean;
  readonly getEventLoop: GetEventLoopStyle;
  /** bpo-34679/bpo-34475 (3.9): asyncio.run() awaits loop.shutdown_default_executor(). */
  readonly runShutsDownDefaultExecutor: boolean;
  /** 3.12: loop.shutdown_default_executor(timeout=) (asyncio.run passes constants.THREAD_JOIN_TIMEOUT). */
  readonly shutdownExecutorTimeout: boolean;
  /** bpo-47062 (3.11): asyncio.run() is built on asyncio.Runner. */
  readonly runner: boolean;
  /** gh-103035 (3.12): asyncio.run(loop_factory=). */
  readonly runLoopFactory: boolean;
  /**
   * 3.10 (tasks._ensure_future): when create_task raises RuntimeError (a
   * closed loop) the coroutine is closed; 3.7-3.9 leave it CORO_CREATED
   * (reference/test/cpython/tk2.py).
   */
  readonly ensureFutureClosesOnError: boolean;
  /**
   * 3.11 (measured: absent in 3.10.13, present in 3.11.7): call_later(None)
   * raises TypeError('delay must not be None') and call_at(None)
   * TypeError('when cannot be None'). 3.7-3.10 fail on `time() + None`
   * (TypeError) and on TimerHandle's `assert when is not None`
   * (AssertionError) (reference/test/cpython/be2.py).
   */
  readonly callLaterRejectsNone: boolean;
  /**
   * 3.13 (format_helpers._format_args_and_kwargs): a Handle's repr and its
   * 'Exception in callback' message show the callback's arguments only in
   * debug mode ("as arguments may contain sensitive information"); before,
   * always (reference/test/cpython/cbraise.py).
   */
  readonly callbackArgsOnlyInDebug: boolean;
  /**
   * Which exceptions escape the loop's `except` clauses (Handle._run,
   * Task.__step, call_exception_handler, _run_until_complete_cb,
   * run_coroutine_threadsafe): on 3.7 every BaseException that is not an
   * Exception; 3.8+ (bpo-32528) only KeyboardInterrupt and SystemExit.
   * Read it through events.escapesLoop().
   */
  readonly stepReraisesBaseException: boolean;
  /** 3.11 (gh-90927): asyncio.timeout()/timeout_at() context managers. */
  readonly asyncioTimeoutCtx: boolean;
  /** 3.11 (gh-90908): asyncio.TaskGroup. */
  readonly taskGroups: boolean;
  /** 3.14 (gh-122875): asyncio.iscoroutinefunction() warns DeprecationWarning (removal planned for 3.16). */
  readonly iscoroutinefunctionDeprecated: boolean;
  /** 3.14 (gh-127949): Runner.run() accepts any awaitable; a non-awaitable is a TypeError, not a ValueError. */
  readonly runAcceptsAwaitables: boolean;
}

const ALL: Record<PythonVersion, Profile> = Object.create(null);

function make(version: PythonVersion): Profile {
  const minor = Number(version.split('.')[1]);
  const at = (m: number) => minor >= m;
  return Object.freeze({
    version,
    minor,
    cancelledErrorIsBaseException: at(8),
    timeoutErrorIsBuiltin: at(11),
    exceptionsModule: at(8),
    taskNames: at(8),
    cancelMessage: at(9),
    cancelMessageStyle: (!at(9) ? 'none' : !at(11) ? 'context' : 'saved') as CancelMessageStyle,
    cancelling: at(11),
    reprCancellingFromCount: at(11),
    uncancelClearsMustCancel: at(13),
    taskContextArg: at(11),
    futureExceptionTb: at(10),
    taskGetContext: at(12),
    eagerTasks: at(12),
    loopArgDeprecated: minor === 8 || minor === 9,
    loopArgRemoved: at(10),
    sleepLoopWarning: (minor === 8 ? 'after-fast-path' : minor === 9 ? 'before-fast-path' : null) as Profile['sleepLoopWarning'],
    sleepUsesRunningLoop: at(8),
    coroutineDecorator: (minor === 7 ? 'plain' : minor <= 10 ? 'deprecated' : 'removed') as Profile['coroutineDecorator'],
    iscoroutineAcceptsGenerators: !at(12),
    getEventLoop: (!at(12) ? 'create' : !at(14) ? 'warn' : 'error') as GetEventLoopStyle,
    runShutsDownDefaultExecutor: at(9),
    shutdownExecutorTimeout: at(12),
    runner: at(11),
    runLoopFactory: at(12),
    ensureFutureClosesOnError: at(10),
    callLaterRejectsNone: at(11),
    callbackArgsOnlyInDebug: at(13),
    stepReraisesBaseException: !at(8),
    asyncioTimeoutCtx: at(11),
    taskGroups: at(11),
    iscoroutinefunctionDeprecated: at(14),
    runAcceptsAwaitables: at(14),
  });
}

for (const v of PYTHON_VERSIONS) ALL[v] = make(v);

/** The profile for a version string ('3.10'); throws on an unknown version. */
export function profileFor(version: string = DEFAULT_PYTHON): Profile {
  const p = ALL[version as PythonVersion];
  if (!p) throw new Error(`unknown Python version profile '${version}' (known: ${PYTHON_VERSIONS.join(', ')})`);
  return p;
}

export function isPythonVersion(v: string): v is PythonVersion {
  return (PYTHON_VERSIONS as readonly string[]).includes(v);
}
