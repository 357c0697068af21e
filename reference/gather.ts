/**
 * asyncio.gather (tasks.py `gather` and `_GatheringFuture`).
 *
 * Invariants:
 * - gather() returns a future at once (it is not a coroutine); it wraps
 *   each distinct argument with ensure_future, in argument order, so
 *   coroutines become tasks scheduled in that order. A duplicated argument
 *   is wrapped once and its result appears at each position.
 * - Results are listed in argument order, never completion order
 *   (gather.result-order).
 * - Without return_exceptions, the first child exception (or child
 *   cancellation, as CancelledError) is set on the outer future at once;
 *   the other children keep running and are not cancelled.
 * - Cancelling the outer future cancels every child that is not done; the
 *   outer future then ends with CancelledError once all children are done
 *   (bpo-32684), whatever return_exceptions says. The outer future itself
 *   ends "finished with a CancelledError exception", not cancelled().
 * - Before 3.12 children that are already done report through
 *   add_done_callback (one loop iteration later); from 3.12 their callback
 *   runs synchronously after the outer future is built (gh-97696), so
 *   gather() of done futures is done on return.
 */
import { Callback, AbstractEventLoop, Runtime, get_event_loop } from "./events";
import { Future, _get_loop } from "./futures";
import { TypeError } from "./exceptions";
import { ensure_future, checkLoopArg } from "./tasks";

/** tasks._GatheringFuture: cancel() cancels the children instead of itself. */
export class _GatheringFuture extends Future<unknown[]> {
  _cancel_requested = false;

  constructor(readonly _children: Future<unknown>[], loop: AbstractEventLoop) {
    super({ loop });
  }

  /** A Python method (def cancel(self) before 3.9), not the C Future's: Python's own words. */
  override _cancelArgsError(positional: number, keyword: boolean): TypeError {
    return new TypeError(keyword
      ? "cancel() got an unexpected keyword argument 'msg'"
      : `cancel() takes 1 positional argument but ${positional + 1} were given`);
  }

  override cancel(...args: [] | [unknown]): boolean {
    this.checkCancelArgs(args);
    if (this.done()) return false;
    let ret = false;
    for (const child of this._children) {
      const ok = this.runtime.profile.cancelMessage ? child.cancel(args.length ? args[0] : null) : child.cancel();
      if (ok) ret = true;
    }
    if (ret) {
      // If any child tasks were actually cancelled, we should propagate the
      // cancellation request regardless of *return_exceptions*. bpo-32684.
      this._cancel_requested = true;
    }
    return ret;
  }
}

export interface GatherOptions {
  return_exceptions?: boolean;
  /** Removed in 3.10 (TypeError); deprecated in 3.8/3.9. */
  loop?: AbstractEventLoop | null;
}

/**
 * Make `asyncio.gather(*aws, return_exceptions=False)` for a runtime.
 * Return a future aggregating results from the given coroutines/futures.
 */
export function makeGather(rt: Runtime) {
  return function gather(aws: unknown[], options: GatherOptions = {}): Future<unknown[]> {
    const returnExceptions = !!options.return_exceptions;
    let loop: AbstractEventLoop | null;
    if (rt.profile.minor === 8) {
      // 3.8 warns about loop= only in the empty case (3.9 moved the warning up).
      loop = options.loop ?? null;
      if (aws.length === 0 && loop !== null) checkLoopArg(rt, "gather", options);
    } else {
      loop = checkLoopArg(rt, "gather", "loop" in options ? { loop: options.loop } : undefined);
    }

    if (aws.length === 0) {
      // 3.7-3.9 events.get_event_loop(), 3.10-3.11 events._get_event_loop()
      // (neither warns), 3.12+ get_event_loop() (warns if it must create one).
      const l = loop ?? get_event_loop(rt);
      const outer = l.create_future() as Future<unknown[]>;
      outer.set_result([]);
      return outer;
    }

    const CancelledError = rt.exceptions.CancelledError;
    let outer: _GatheringFuture | null = null; // bpo-46672
    let nfuts = 0;
    let nfinished = 0;
    const children: Future<unknown>[] = [];

    const _done_callback = (fut: Future<unknown>): void => {
      nfinished += 1;

      if (outer === null || outer.done()) {
        // Mark exception retrieved.
        if (!fut.cancelled()) fut.exception();
        return;
      }

      if (!returnExceptions) {
        if (fut.cancelled()) {
          // Check cancelled() first: exception() would *raise* CancelledError.
          const exc = rt.profile.cancelMessage ? fut._make_cancelled_error() : new CancelledError();
          outer.set_exception(exc);
          return;
        }
        const exc = fut.exception();
        if (exc !== null) {
          outer.set_exception(exc);
          return;
        }
      }

      if (nfinished === nfuts) {
        // All futures are done; the results go in argument order.
        const results: unknown[] = [];
        let last: Future<unknown> = fut;
        for (const f of children) {
          last = f;
          let res: unknown;
          if (f.cancelled()) {
            // 3.9+: CancelledError(msg) ('' when no message), no __context__.
            res = rt.profile.cancelMessage
              ? new CancelledError(f._cancel_message === null || f._cancel_message === undefined ? "" : f._cancel_message)
              : new CancelledError();
          } else {
            res = f.exception();
            if (res === null) res = f.result();
          }
          results.push(res);
        }
        if (outer._cancel_requested) {
          // If gather is being cancelled we must propagate the cancellation
          // regardless of *return_exceptions*. bpo-32684. (3.9+ uses the
          // loop variable `fut`, i.e. the last child, as CPython does.)
          const exc = rt.profile.cancelMessage ? last._make_cancelled_error() : new CancelledError();
          outer.set_exception(exc);
        } else {
          outer.set_result(results);
        }
      }
    };
    (_done_callback as { __qualname__?: string }).__qualname__ = "gather.<locals>._done_callback";

    // arg_to_fut, kept only once it is needed (see alreadyGathered).
    let argToFut: Map<unknown, Future<unknown>> | null = null;
    const doneFuts: Future<unknown>[] = [];
    const eagerDone = rt.profile.minor >= 12;
    for (let i = 0; i < aws.length; i++) {
      const arg = aws[i];
      let fut: Future<unknown> | undefined;
      if (argToFut === null) {
        const seen = alreadyGathered(arg, _done_callback as Callback);
        if (seen === true) {
          children.push(arg as Future<unknown>);
          continue;
        }
        if (seen === null) {
          argToFut = new Map();
          for (let j = 0; j < i; j++) argToFut.set(aws[j], children[j]);
        }
      }
      if (argToFut !== null) fut = argToFut.get(arg);
      if (fut === undefined) {
        fut = ensure_future(rt, arg, loop);
        if (loop === null) loop = _get_loop(fut);
        if (fut !== arg) {
          // 'arg' was not a Future: the caller can't control the new task,
          // so disable the "destroy pending task" warning.
          (fut as { _log_destroy_pending?: boolean })._log_destroy_pending = false;
        }
        nfuts += 1;
        if (argToFut !== null) argToFut.set(arg, fut);
        if (eagerDone && fut.done()) doneFuts.push(fut);
        else fut.add_done_callback(_done_callback as Callback);
      }
      children.push(fut);
    }

    outer = new _GatheringFuture(children, loop!);
    // 3.12+: run done callbacks after the _GatheringFuture exists, so a
    // gather of finished futures completes eagerly.
    for (const fut of doneFuts) _done_callback(fut);
    return outer;
  };
}

export type Gather = ReturnType<typeof makeGather>;

/**
 * Whether gather() has met `arg` before in this call, answered without
 * CPython's arg_to_fut dict where that is exact: a pending Future of this
 * runtime (methods not overridden) was met before exactly when it holds
 * this gather's done callback, because nothing else can run while gather()
 * goes through plain futures (no task is created, no user code runs), so
 * nothing can complete it or remove the callback. null: anything else (a
 * coroutine, a done future, an awaitable): gather() builds the dict from
 * here on.
 */
function alreadyGathered(arg: unknown, doneCallback: Callback): boolean | null {
  if (!(arg instanceof Future) || arg._state !== 'PENDING'
      || arg.add_done_callback !== Future.prototype.add_done_callback || arg.get_loop !== Future.prototype.get_loop) {
    return null;
  }
  if (arg._callback0 === doneCallback) return true;
  const rest = arg._callbacks;
  if (rest !== null) for (const entry of rest) if (entry[0] === doneCallback) return true;
  return false;
}
