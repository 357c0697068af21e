/**
 * asyncio.wait and the helpers it shares with wait_for (tasks.py `wait`,
 * `_wait`, `_release_waiter`, `_cancel_and_wait`).
 *
 * Invariants:
 * - wait() never raises TimeoutError and never cancels anything: futures
 *   still pending at the timeout come back in the `pending` set.
 * - `_wait` registers one completion callback per future and a timer; the
 *   caller wakes up through an internal waiter future, so the wake-up is
 *   one loop iteration after the deciding future completes (its done
 *   callbacks run via call_soon).
 * - return_when: FIRST_COMPLETED wakes on any completion; FIRST_EXCEPTION
 *   on the first future that ends with an exception (a cancelled future is
 *   not an exception), or when all are done; ALL_COMPLETED when all are done.
 * - Sets: CPython builds `set(fs)` and iterates it in hash order, which is
 *   not fixed (futures hash by address). Here a JS Set keeps first-seen
 *   argument order; scenarios must not depend on the iteration order of
 *   the returned sets (sort them, e.g. by task name).
 * - Coroutines in fs: wrapped silently (3.7-3.8), wrapped with a
 *   DeprecationWarning (3.9-3.10), TypeError (3.11+).
 */
import { AbstractEventLoop, Callback, Runtime, get_event_loop, get_running_loop } from "./events";
import { Future, isfuture } from "./futures";
import { checkLoopArg, ensure_future } from "./tasks";
import { asyncDef, Coroutine, iscoroutine } from "./coroutines";
import { AttributeError, TypeError, ValueError, pyRepr, pyTypeName } from "./exceptions";

export const FIRST_COMPLETED = "FIRST_COMPLETED";
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
export const ALL_COMPLETED = "ALL_COMPLETED";
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** tasks._release_waiter(waiter, *args) */
export function _release_waiter(waiter: Future<unknown>, ..._args: unknown[]): void {
  if (!waiter.done()) waiter.set_result(null);
}
(_release_waiter as { __qualname__?: string }).__qualname__ = "_release_waiter";

/** functools.partial(_release_waiter, waiter): the done callback wait_for and _cancel_and_wait add. */
export function releaseWaiterCallback(waiter: Future<unknown>): Callback {
  const cb = (...args: unknown[]) => _release_waiter(waiter, ...args);
  (cb as { __qualname__?: string }).__qualname__ = "_release_waiter";
  return cb as Callback;
}

/** Python truthiness / iteration of the `fs` argument. */
export function toArray(fs: unknown): unknown[] {
  if (fs === null || fs === undefined || typeof (fs as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new TypeError(`'${pyTypeName(fs)}' object is not iterable`);
  }
  return [...(fs as Iterable<unknown>)];
}

/** `set(xs)`: dedup, first-seen order (see the file head). */
export function pySet<T>(xs: Iterable<T>): Set<T> {
  return new Set(xs);
}

/**
 * tasks._wait(fs, timeout, return_when, loop): the internal coroutine
 * behind wait(). fs must be a non-empty collection of futures.
 */
export const _wait = asyncDef(function* _wait(
  fs: Set<Future<unknown>>,
  timeout: number | null,
  return_when: string,
  loop: AbstractEventLoop,
): Generator<unknown, [Set<Future<unknown>>, Set<Future<unknown>>], unknown> {
  const waiter = loop.create_future() as Future<unknown>;
  let timeoutHandle: { cancel(): void } | null = null;
  if (timeout !== null && timeout !== undefined) {
    timeoutHandle = loop.call_later(timeout, _release_waiter as Callback, [waiter]);
  }
  let counter = fs.size;

  const _on_completion = (f: Future<unknown>): void => {
    counter -= 1;
    if (
      counter <= 0 ||
      return_when === FIRST_COMPLETED ||
      (return_when === FIRST_EXCEPTION && !f.cancelled() && f.exception() !== null)
    ) {
      if (timeoutHandle !== null) timeoutHandle.cancel();
      if (!waiter.done()) waiter.set_result(null);
    }
  };
  (_on_completion as { __qualname__?: string }).__qualname__ = "_wait.<locals>._on_completion";

  for (const f of fs) {
    if (typeof (f as { add_done_callback?: unknown })?.add_done_callback !== "function") {
      throw new AttributeError(`'${pyTypeName(f)}' object has no attribute 'add_done_callback'`);
    }
    f.add_done_callback(_on_completion as Callback);
  }

  try {
    yield* waiter;
  } finally {
    if (timeoutHandle !== null) timeoutHandle.cancel();
    for (const f of fs) f.remove_done_callback(_on_completion as Callback);
  }

  const done = new Set<Future<unknown>>();
  const pending = new Set<Future<unknown>>();
  for (const f of fs) {
    if (f.done()) done.add(f);
    else pending.add(f);
  }
  return [done, pending];
});

/**
 * tasks._cancel_and_wait(fut): cancel fut and wait until it is done,
 * without awaiting fut itself (so the caller stays reliably cancellable).
 * `loop` is passed explicitly before 3.12 and is the running loop after.
 */
export const _cancel_and_wait = asyncDef(function* _cancel_and_wait(
  fut: Future<unknown>,
  loop: AbstractEventLoop,
): Generator<unknown, void, unknown> {
  const waiter = loop.create_future() as Future<unknown>;
  const cb = releaseWaiterCallback(waiter);
  fut.add_done_callback(cb);
  try {
    fut.cancel();
    // We cannot wait on *fut* directly to make sure _cancel_and_wait
    // itself is reliably cancellable.
    yield* waiter;
  } finally {
    fut.remove_done_callback(cb);
  }
});

export interface WaitOptions {
  timeout?: number | null;
  return_when?: string;
  /** 3.7-3.9 only (deprecated in 3.8-3.9); TypeError from 3.10. */
  loop?: AbstractEventLoop | null;
}

/**
 * Make `asyncio.wait(fs, *, timeout=None, return_when=ALL_COMPLETED)`:
 * a coroutine returning `[done, pending]` (two Sets).
 */
export function makeWait(rt: Runtime) {
  const minor = rt.profile.minor;
  const body = asyncDef(function* wait(
    fs: unknown,
    timeout: number | null,
    return_when: string,
    hasLoop: boolean,
    loopArg: AbstractEventLoop | null,
  ): Generator<unknown, [Set<Future<unknown>>, Set<Future<unknown>>], unknown> {
    if (isfuture(fs) || iscoroutine(fs, rt.profile)) {
      throw new TypeError(`expect a list of futures, not ${pyTypeName(fs)}`);
    }
    const items = toArray(fs);
    if (items.length === 0) {
      throw new ValueError(minor >= 11 ? "Set of Tasks/Futures is empty." : "Set of coroutines/Futures is empty.");
    }
    if (return_when !== FIRST_COMPLETED && return_when !== FIRST_EXCEPTION && return_when !== ALL_COMPLETED) {
      throw new ValueError(`Invalid return_when value: ${pyStrOf(return_when)}`);
    }

    let loop: AbstractEventLoop;
    if (minor === 7) {
      loop = loopArg ?? get_event_loop(rt);
    } else if (minor <= 9) {
      if (hasLoop && loopArg !== null) checkLoopArg(rt, "wait", { loop: loopArg });
      loop = loopArg ?? get_running_loop(rt);
    } else if (minor === 10) {
      loop = get_running_loop(rt);
    } else {
      loop = null as unknown as AbstractEventLoop; // fetched after the coroutine check
    }

    let set = pySet(items);
    if (minor >= 9 && [...set].some((f) => iscoroutine(f, rt.profile))) {
      if (minor >= 11) throw new TypeError("Passing coroutines is forbidden, use tasks explicitly.");
      rt.deprecated(
        "The explicit passing of coroutine objects to asyncio.wait() is deprecated since Python 3.8, " +
          "and scheduled for removal in Python 3.11.",
      );
    }
    if (minor >= 11) {
      loop = get_running_loop(rt);
    } else {
      set = pySet([...set].map((f) => ensure_future(rt, f, loop)));
    }
    return (yield* _wait(set as Set<Future<unknown>>, timeout, return_when, loop)) as [Set<Future<unknown>>, Set<Future<unknown>>];
  }, { name: "wait", filename: "asyncio/tasks.py" });

  return function wait(fs: unknown, options: WaitOptions = {}): Coroutine<[Set<Future<unknown>>, Set<Future<unknown>>]> {
    const hasLoop = "loop" in options;
    if (hasLoop && rt.profile.loopArgRemoved) throw new TypeError("wait() got an unexpected keyword argument 'loop'");
    return body(fs, options.timeout ?? null, options.return_when ?? ALL_COMPLETED, hasLoop, options.loop ?? null);
  };
}

function pyStrOf(x: unknown): string {
  return typeof x === "string" ? x : pyRepr(x);
}

export type WaitFunction = ReturnType<typeof makeWait>;

/** asyncio.ts hook: the return_when constants. */
export function attach(asyncio: { [k: string]: unknown }): void {
  asyncio.FIRST_COMPLETED = FIRST_COMPLETED;
  asyncio.FIRST_EXCEPTION = FIRST_EXCEPTION;
  asyncio.ALL_COMPLETED = ALL_COMPLETED;
}
