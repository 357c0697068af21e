/**
 * asyncio.shield (tasks.py `shield`).
 *
 * Invariants:
 * - shield(aw) wraps aw with ensure_future ("inner") and returns a new
 *   future ("outer") that mirrors inner's outcome; if inner is already done
 *   it is returned itself (shortcut).
 * - Cancelling outer (e.g. because the task awaiting it is cancelled) does
 *   not cancel inner: inner keeps running, and its outcome is then only
 *   marked as retrieved (shield.inner-not-cancelled).
 * - If inner is cancelled by other means, outer is cancelled too.
 * - Once outer is done, its callback removes inner's callback, so nothing
 *   is copied onto a done future.
 */
import { AbstractEventLoop, Callback, Runtime } from "./events";
import { Future, _get_loop } from "./futures";
import { checkLoopArg, ensure_future } from "./tasks";

/** Make `asyncio.shield(aw)` for a runtime. */
export function makeShield(rt: Runtime) {
  return function shield(arg: unknown, options?: { loop?: AbstractEventLoop | null }): Future<unknown> {
    const loopArg = checkLoopArg(rt, "shield", options);
    const inner = ensure_future(rt, arg, loopArg);
    if (inner.done()) {
      // Shortcut.
      return inner;
    }
    const loop = _get_loop(inner);
    const outer = loop.create_future() as Future<unknown>;

    const _inner_done_callback = (inner: Future<unknown>): void => {
      if (outer.cancelled()) {
        // Mark inner's result as retrieved.
        if (!inner.cancelled()) inner.exception();
        return;
      }
      if (inner.cancelled()) {
        outer.cancel();
      } else {
        const exc = inner.exception();
        if (exc !== null) outer.set_exception(exc);
        else outer.set_result(inner.result());
      }
    };
    (_inner_done_callback as { __qualname__?: string }).__qualname__ = "shield.<locals>._inner_done_callback";

    const _outer_done_callback = (_outer: Future<unknown>): void => {
      if (!inner.done()) inner.remove_done_callback(_inner_done_callback as Callback);
    };
    (_outer_done_callback as { __qualname__?: string }).__qualname__ = "shield.<locals>._outer_done_callback";

    inner.add_done_callback(_inner_done_callback as Callback);
    outer.add_done_callback(_outer_done_callback as Callback);
    return outer;
  };
}

export type Shield = ReturnType<typeof makeShield>;
