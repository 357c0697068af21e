/**
 * Clocks and the idle hook: how the main thread's wait for I/O (the loop's
 * `select(timeout)`) is served. See spec/VIRTUAL-TIME.md.
 *
 * Invariants:
 * - The virtual clock starts at 0.0 and never goes back; it only moves inside
 *   `Scheduler.block`, and only by jumping to a deadline (CPython's
 *   arithmetic: the loop passes `deadline = now + timeout`, so the clock
 *   becomes exactly `now + timeout`).
 * - The main thread blocks once per loop iteration, even with timeout 0:
 *   that is where threads get to run.
 * - A wait that can never be satisfied (no deadline, nothing else able to
 *   run) throws `Deadlock`, a JS Error that is not a Python exception and is
 *   never caught by Python code: the scenario ends with outcome `deadlock`.
 * - No Promise, setTimeout or Date here (RealClock lives in real_clock.ts).
 */

/** A clock the loop reads (`loop.time()`). */
export interface Clock {
  /** Current time in seconds (time.monotonic()). */
  time(): number;
  /** time.get_clock_info('monotonic').resolution: 1e-09 on Linux. */
  readonly resolution: number;
}

/**
 * The idle hook a loop blocks on. The threads helper replaces the default
 * with a thread scheduler; it runs other participants while the caller is
 * blocked and advances the clock when everyone is idle.
 */
export interface Scheduler {
  readonly clock: Clock;
  /**
   * Block the calling participant (the main thread, for a loop's select)
   * until `isSatisfied()` is true or the clock reaches `deadline` (null: no
   * deadline). Returns when the caller may continue; throws Deadlock when
   * that can never happen.
   */
  block(deadline: number | null, isSatisfied: () => boolean): void;
}

/** Nothing can ever happen again: no deadline, no ready work, no thread able to run. */
export class Deadlock extends Error {
  constructor(message = 'deadlock: the event loop waits forever (no timers, no ready callbacks, no threads)') {
    super(message);
    this.name = 'Deadlock';
  }
}

/** The virtual clock: a number that only the scheduler advances. */
export class VirtualClock implements Clock {
  private now = 0.0;
  readonly resolution: number;

  constructor(options: { start?: number; resolution?: number } = {}) {
    this.now = options.start ?? 0.0;
    this.resolution = options.resolution ?? 1e-9;
  }

  time(): number {
    return this.now;
  }

  /** Jump to `t`; never backwards. */
  advanceTo(t: number): void {
    if (t > this.now) this.now = t;
  }
}

/**
 * The default idle hook: no threads. The only participant is the main
 * thread, so blocking either is satisfied now, jumps to the deadline, or is
 * a deadlock.
 */
export class VirtualScheduler implements Scheduler {
  constructor(readonly clock: VirtualClock = new VirtualClock()) {}

  block(deadline: number | null, isSatisfied: () => boolean): void {
    if (isSatisfied()) return;
    if (deadline === null) throw new Deadlock();
    this.clock.advanceTo(deadline);
  }
}
