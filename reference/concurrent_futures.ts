/**
 * `concurrent.futures.Future` on simulated threads (concurrent/futures/_base.py).
 *
 * Invariants:
 * - State moves PENDING -> RUNNING -> FINISHED, or PENDING -> CANCELLED ->
 *   CANCELLED_AND_NOTIFIED; it never goes back.
 * - Done callbacks run synchronously on the participant that completes the
 *   future (a thread, or the main thread), in the order they were added; a
 *   callback added to a done future runs at once. A callback that raises is
 *   logged (LOGGER.exception) and the next one still runs.
 * - Every state change that ends the future notifies `channel`, which is what
 *   `result(timeout)` / `exception(timeout)` block on (Condition.notify_all).
 * - `result`/`exception` are blocking calls: `resultGen`/`exceptionGen`
 *   are generators yielding a {@link Blocking} request, for simulated
 *   threads (`yield* f.resultGen(1)`); `result`/`exception` are the
 *   synchronous forms for the main thread (or any participant once done).
 */
import { AsyncioExceptions, BaseException, RuntimeError, pyTypeName } from "./exceptions";
import type { Runtime } from "./events";
import { Blocking, BlockingGen, Channel, ThreadScheduler, runBlocking, syncBlocking } from "./threads";

export const PENDING = "PENDING";
export const RUNNING = "RUNNING";
export const CANCELLED = "CANCELLED";
export const CANCELLED_AND_NOTIFIED = "CANCELLED_AND_NOTIFIED";
export const FINISHED = "FINISHED";
export type CFState = typeof PENDING | typeof RUNNING | typeof CANCELLED | typeof CANCELLED_AND_NOTIFIED | typeof FINISHED;

const DESCRIPTION: Record<CFState, string> = {
  PENDING: "pending",
  RUNNING: "running",
  CANCELLED: "cancelled",
  CANCELLED_AND_NOTIFIED: "cancelled",
  FINISHED: "finished",
};

/**
 * The exceptions of concurrent.futures for one version profile:
 * 3.7 has no InvalidStateError there (set_result on a done future is
 * silently accepted), 3.11+ TimeoutError is the builtin one.
 */
export interface ConcurrentErrors {
  CancelledError(): unknown;
  TimeoutError(): unknown;
  /** null on 3.7: no state check in set_result/set_exception. */
  InvalidStateError: ((msg: string) => unknown) | null;
  RuntimeError(msg: string): unknown;
  /** LOGGER.exception / LOGGER.critical sink. */
  log?(message: string, exc?: unknown): void;
}

/** The concurrent.futures errors of a version's exception set. */
export function concurrentErrors(ax: AsyncioExceptions, log?: (message: string, exc?: unknown) => void): ConcurrentErrors {
  const ise = ax.ConcurrentInvalidStateError;
  return {
    CancelledError: () => new ax.ConcurrentCancelledError(),
    TimeoutError: () => new ax.ConcurrentTimeoutError(),
    InvalidStateError: ise ? (msg: string) => new ise(msg) : null,
    RuntimeError: (msg: string) => new RuntimeError(msg),
    log,
  };
}

/**
 * A runtime's concurrent.futures errors, made once and kept on the runtime:
 * a raising done callback is logged to its logger (LOGGER.exception).
 */
export function runtimeConcurrentErrors(rt: Runtime): ConcurrentErrors {
  let errors = rt.slots.get("concurrentErrors") as ConcurrentErrors | undefined;
  if (errors === undefined) {
    errors = concurrentErrors(rt.exceptions, (m, e) => rt.logger.error(m, (e ?? null) as BaseException | null));
    rt.slots.set("concurrentErrors", errors);
  }
  return errors;
}

export type CFCallback = (f: ConcurrentFuture) => void;

let nextId = 1;

/** `concurrent.futures.Future` */
export class ConcurrentFuture<T = unknown> {
  _state: CFState = PENDING;
  _result: T | undefined = undefined;
  _exception: unknown = null;
  private callbacks: CFCallback[] = [];
  /** Notified whenever the future becomes done (Condition.notify_all). */
  readonly channel: Channel;
  /** Stand-in for id(self) in reprs. */
  readonly id = nextId++;

  constructor(readonly scheduler: ThreadScheduler, readonly errors: ConcurrentErrors) {
    this.channel = new Channel(scheduler);
  }

  private invokeCallbacks(): void {
    for (const cb of this.callbacks) {
      try {
        cb(this);
      } catch (exc) {
        this.errors.log?.(`exception calling callback for ${this.repr()}`, exc);
      }
    }
  }

  repr(): string {
    const name = "Future";
    const addr = `0x${this.id.toString(16)}`;
    const desc = DESCRIPTION[this._state];
    if (this._state === FINISHED) {
      if (this._exception) {
        return `<${name} at ${addr} state=${desc} raised ${pyTypeName(this._exception)}>`;
      }
      return `<${name} at ${addr} state=${desc} returned ${pyTypeName(this._result)}>`;
    }
    return `<${name} at ${addr} state=${desc}>`;
  }

  toString(): string {
    return this.repr();
  }

  /** Cancel if still pending; true if cancelled (now or before). */
  cancel(): boolean {
    if (this._state === RUNNING || this._state === FINISHED) return false;
    if (this._state === CANCELLED || this._state === CANCELLED_AND_NOTIFIED) return true;
    this._state = CANCELLED;
    this.channel.notify();
    this.invokeCallbacks();
    return true;
  }

  cancelled(): boolean {
    return this._state === CANCELLED || this._state === CANCELLED_AND_NOTIFIED;
  }

  running(): boolean {
    return this._state === RUNNING;
  }

  done(): boolean {
    return this._state === CANCELLED || this._state === CANCELLED_AND_NOTIFIED || this._state === FINISHED;
  }

  add_done_callback(fn: CFCallback): void {
    if (!this.done()) {
      this.callbacks.push(fn);
      return;
    }
    try {
      fn(this);
    } catch (exc) {
      this.errors.log?.(`exception calling callback for ${this.repr()}`, exc);
    }
  }

  private getResult(): T {
    if (this._exception) throw this._exception;
    return this._result as T;
  }

  /** Wait up to `timeout` (null: forever) for the future to be done. */
  private *waitDone(timeout: number | null): BlockingGen<void> {
    // Condition.wait(timeout): timeout <= 0 does not sleep; we still make it
    // a blocking point with an immediate deadline (spec/VIRTUAL-TIME.md).
    const t = timeout === null ? null : Math.max(0, timeout);
    yield new Blocking(t, this.channel, () => this.done());
  }

  /**
   * `result(timeout=None)` as a blocking generator (threads:
   * `yield* f.resultGen(1)`). Raises CancelledError if
   * cancelled, TimeoutError if not done within `timeout`, the future's
   * exception if it has one.
   */
  *resultGen(timeout: number | null = null): BlockingGen<T> {
    if (this.cancelled()) throw this.errors.CancelledError();
    if (this._state === FINISHED) return this.getResult();
    yield* this.waitDone(timeout);
    if (this.cancelled()) throw this.errors.CancelledError();
    if ((this._state as CFState) === FINISHED) return this.getResult();
    throw this.errors.TimeoutError();
  }

  /** `exception(timeout=None)` as a blocking generator: the exception (or null). */
  *exceptionGen(timeout: number | null = null): BlockingGen<unknown> {
    if (this.cancelled()) throw this.errors.CancelledError();
    if (this._state === FINISHED) return this._exception;
    yield* this.waitDone(timeout);
    if (this.cancelled()) throw this.errors.CancelledError();
    if ((this._state as CFState) === FINISHED) return this._exception;
    throw this.errors.TimeoutError();
  }

  /** `result(timeout=None)` on the main thread (or on a done future, anywhere). */
  result(timeout: number | null = null): T {
    if (this.done()) return runBlocking(this.scheduler, this.resultGen(timeout));
    return syncBlocking(this.scheduler, "Future.result", this.resultGen(timeout));
  }

  /** `exception(timeout=None)` on the main thread (or on a done future, anywhere). */
  exception(timeout: number | null = null): unknown {
    if (this.done()) return runBlocking(this.scheduler, this.exceptionGen(timeout));
    return syncBlocking(this.scheduler, "Future.exception", this.exceptionGen(timeout));
  }

  /** Executor protocol: PENDING -> RUNNING (true), or CANCELLED -> CANCELLED_AND_NOTIFIED (false). */
  set_running_or_notify_cancel(): boolean {
    if (this._state === CANCELLED) {
      this._state = CANCELLED_AND_NOTIFIED;
      return false;
    }
    if (this._state === PENDING) {
      this._state = RUNNING;
      return true;
    }
    this.errors.log?.(`Future ${this.id} in unexpected state: ${this._state}`);
    throw this.errors.RuntimeError("Future in unexpected state");
  }

  private checkSettable(): void {
    if (this.errors.InvalidStateError === null) return; // 3.7: no check
    if (this._state === CANCELLED || this._state === CANCELLED_AND_NOTIFIED || this._state === FINISHED) {
      throw this.errors.InvalidStateError(`${this._state}: ${this.repr()}`);
    }
  }

  set_result(result: T): void {
    this.checkSettable();
    this._result = result;
    this._state = FINISHED;
    this.channel.notify();
    this.invokeCallbacks();
  }

  set_exception(exception: unknown): void {
    this.checkSettable();
    this._exception = exception;
    this._state = FINISHED;
    this.channel.notify();
    this.invokeCallbacks();
  }
}

export function isConcurrentFuture(x: unknown): x is ConcurrentFuture {
  return x instanceof ConcurrentFuture;
}
