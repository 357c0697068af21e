/**
 * asyncio.as_completed (tasks.py `as_completed`; 3.13 `_AsCompletedIterator`).
 *
 * Invariants:
 * - Each iteration step gives a new coroutine (`_wait_for_one`) that
 *   returns the result, or raises the exception, of the next awaitable to
 *   complete, in completion order; the awaitables are not necessarily the
 *   ones passed in (as_completed.completion-order).
 * - Completions are delivered through an internal asyncio.Queue: a
 *   completion callback (run via call_soon when a future completes) puts
 *   the future; a waiting `_wait_for_one` is woken through the queue's
 *   getter future, one more loop iteration later.
 * - With a timeout, when it expires, every still-pending waiter gets a
 *   sentinel and raises TimeoutError; the futures are not cancelled.
 * - Before 3.13 as_completed is a generator function: nothing (not even
 *   the argument check or ensure_future) happens until the first next().
 *   3.13 builds everything at the call and also supports `async for`
 *   (`__anext__`), which yields the original futures/tasks themselves.
 * - set(fs) order: first-seen order here; CPython's is hash order (not
 *   fixed), which decides which coroutine becomes a task first.
 */
import { AbstractEventLoop, Callback, Runtime, get_event_loop } from "./events";
import { Future, isfuture } from "./futures";
import { checkLoopArg, ensure_future } from "./tasks";
import { asyncDef, Coroutine, iscoroutine } from "./coroutines";
import { BaseException, StopAsyncIteration, TypeError, pyTypeName } from "./exceptions";
import { toArray } from "./wait";

/** The part of asyncio.Queue (unbounded) as_completed uses. */
export class SimpleQueue<T> {
  readonly items: T[] = [];
  readonly getters: Future<unknown>[] = [];
  // Shared by every queue (prototype, below): one as_completed() call makes one queue.
  declare readonly get: () => Coroutine<T>;

  constructor(readonly loop: AbstractEventLoop) {}

  put_nowait(item: T): void {
    this.items.push(item);
    this.wakeupNext();
  }

  wakeupNext(): void {
    while (this.getters.length) {
      const waiter = this.getters.shift()!;
      if (!waiter.done()) {
        waiter.set_result(null);
        break;
      }
    }
  }
}

// asyncDef's wrapper passes `this` through: one coroutine function serves every queue.
Object.defineProperty(SimpleQueue.prototype, "get", {
  value: asyncDef(function* get(this: SimpleQueue<unknown>): Generator<unknown, unknown, unknown> {
    while (this.items.length === 0) {
      const getter = this.loop.create_future() as Future<unknown>;
      this.getters.push(getter);
      try {
        yield* getter;
      } catch (e) {
        getter.cancel(); // Just in case getter is not done yet.
        const i = this.getters.indexOf(getter);
        if (i >= 0) this.getters.splice(i, 1);
        // Woken by put_nowait() but can't take the item: wake the next in line.
        if (this.items.length !== 0 && !getter.cancelled()) this.wakeupNext();
        throw e;
      }
    }
    return this.items.shift();
  }, { name: "get", qualname: "Queue.get", filename: "asyncio/queues.py" }),
  writable: true, configurable: true,
});

/** The shared state of one as_completed() call (todo set, queue, timer). */
class AsCompletedState {
  readonly done: SimpleQueue<Future<unknown> | null>;
  readonly todo: Set<Future<unknown>>;
  timeoutHandle: { cancel(): void } | null = null;
  readonly onCompletion: (f: Future<unknown>) => void;
  readonly TimeoutError: new () => BaseException;

  constructor(readonly rt: Runtime, loop: AbstractEventLoop, aws: unknown[], timeout: number | null) {
    this.TimeoutError = rt.exceptions.TimeoutError;
    this.done = new SimpleQueue(loop);
    this.todo = new Set([...new Set(aws)].map((f) => ensure_future(rt, f, loop)));
    const self = this;

    const onTimeout = (): void => {
      for (const f of self.todo) {
        f.remove_done_callback(self.onCompletion as Callback);
        self.done.put_nowait(null); // Queue a dummy value for _wait_for_one().
      }
      self.todo.clear();
    };
    // 3.13 made them methods of _AsCompletedIterator (gh-77714).
    const methods = rt.profile.minor >= 13;
    (onTimeout as { __qualname__?: string }).__qualname__ = methods ? "_AsCompletedIterator._handle_timeout" : "as_completed.<locals>._on_timeout";

    this.onCompletion = (f: Future<unknown>): void => {
      if (self.todo.size === 0) return; // _on_timeout() was here first.
      self.todo.delete(f);
      self.done.put_nowait(f);
      if (self.todo.size === 0 && self.timeoutHandle !== null) self.timeoutHandle.cancel();
    };
    (this.onCompletion as { __qualname__?: string }).__qualname__ = methods
      ? "_AsCompletedIterator._handle_completion" : "as_completed.<locals>._on_completion";

    for (const f of this.todo) f.add_done_callback(this.onCompletion as Callback);
    if (this.todo.size && timeout !== null && timeout !== undefined) {
      this.timeoutHandle = loop.call_later(timeout, onTimeout);
    }
  }

  /** A new `_wait_for_one(resolve)` coroutine. */
  waitForOne(resolve: boolean): Coroutine<unknown> {
    return (this.rt.profile.minor >= 13 ? waitForOneMethod : waitForOne).call(this, resolve);
  }
}

// CPython defines _wait_for_one inside as_completed() (a method of
// _AsCompletedIterator from 3.13); module-level coroutine functions (state
// as `this`) keep its name without a new function per call.
function* waitForOneBody(this: AsCompletedState, resolve: boolean): Generator<unknown, unknown, unknown> {
  const f = (yield* this.done.get()) as Future<unknown> | null;
  if (f === null) {
    // Dummy value from _on_timeout().
    throw new this.TimeoutError();
  }
  return resolve ? f.result() : f; // May raise f.exception().
}
const waitForOne = asyncDef(waitForOneBody, { name: "_wait_for_one", qualname: "as_completed.<locals>._wait_for_one", filename: "asyncio/tasks.py" });
const waitForOneMethod = asyncDef(waitForOneBody, { name: "_wait_for_one", qualname: "_AsCompletedIterator._wait_for_one", filename: "asyncio/tasks.py" });

/** 3.13's `_AsCompletedIterator`: a plain iterator of coroutines and an async iterator of futures. */
export class AsCompletedIterator implements IterableIterator<Coroutine<unknown>> {
  left: number;
  declare readonly __anext__: () => Coroutine<unknown>;

  constructor(readonly state: AsCompletedState) {
    this.left = state.todo.size;
  }

  [Symbol.iterator](): this {
    return this;
  }

  __aiter__(): this {
    return this;
  }

  next(): IteratorResult<Coroutine<unknown>> {
    if (!this.left) return { done: true, value: undefined };
    this.left -= 1;
    return { done: false, value: this.state.waitForOne(true) };
  }
}

// One coroutine function for every iterator (`this` passes through asyncDef).
Object.defineProperty(AsCompletedIterator.prototype, "__anext__", {
  value: asyncDef(function* __anext__(this: AsCompletedIterator): Generator<unknown, unknown, unknown> {
    if (!this.left) throw new StopAsyncIteration();
    this.left -= 1;
    return yield* this.state.waitForOne(false);
  }, { name: "__anext__", qualname: "_AsCompletedIterator.__anext__", filename: "asyncio/tasks.py" }),
  writable: true, configurable: true,
});

export interface AsCompletedOptions {
  timeout?: number | null;
  /** 3.7-3.9 only (deprecated 3.8-3.9); TypeError from 3.10. */
  loop?: AbstractEventLoop | null;
}

/**
 * Make `asyncio.as_completed(fs, *, timeout=None)` for a runtime: an
 * iterator of coroutines, to be awaited in turn.
 */
export function makeAsCompleted(rt: Runtime) {
  const minor = rt.profile.minor;

  function* legacy(fs: unknown, timeout: number | null, loopArg: AbstractEventLoop | null, hasLoop: boolean): Generator<Coroutine<unknown>, void, unknown> {
    if (isfuture(fs) || iscoroutine(fs, rt.profile)) {
      throw new TypeError(`expect ${minor === 7 ? "a list" : "an iterable"} of futures, not ${pyTypeName(fs)}`);
    }
    if (hasLoop && loopArg !== null) {
      // 3.8-3.9 warn three times: as_completed itself, then Queue(loop=loop)
      // and the locks.Event(loop=loop) inside it (same message each time).
      for (let i = 0; i < 3; i++) checkLoopArg(rt, "as_completed", { loop: loopArg });
    }
    // 3.7-3.9 events.get_event_loop(); 3.10-3.11 events._get_event_loop(); 3.12 get_event_loop().
    const loop = loopArg ?? get_event_loop(rt);
    const state = new AsCompletedState(rt, loop, toArray(fs), timeout);
    const n = state.todo.size;
    for (let i = 0; i < n; i++) yield state.waitForOne(true);
  }

  return function as_completed(fs: unknown, options: AsCompletedOptions = {}): Iterator<Coroutine<unknown>> & Iterable<Coroutine<unknown>> {
    const hasLoop = "loop" in options;
    if (hasLoop && rt.profile.loopArgRemoved) throw new TypeError("as_completed() got an unexpected keyword argument 'loop'");
    const timeout = options.timeout ?? null;
    if (minor < 13) return legacy(fs, timeout, options.loop ?? null, hasLoop);
    if (isfuture(fs) || fs instanceof Coroutine) {
      throw new TypeError(`expects an iterable of awaitables, not ${pyTypeName(fs)}`);
    }
    const loop = get_event_loop(rt);
    return new AsCompletedIterator(new AsCompletedState(rt, loop, toArray(fs), timeout));
  };
}

export type AsCompleted = ReturnType<typeof makeAsCompleted>;
