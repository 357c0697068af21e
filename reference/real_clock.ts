/**
 * RealClock: wall-clock time for real programs (outside the virtual-time
 * core). Its select really waits, synchronously (Atomics.wait), so the loop
 * code is the same as under virtual time.
 *
 * Invariants: time() is monotonic (performance.now); block() never returns
 * before its deadline unless isSatisfied() holds; with no deadline and
 * nothing satisfied it throws Deadlock (no other participant can wake it).
 */
import { Clock, Deadlock, Scheduler } from './clock';

export class RealClock implements Clock, Scheduler {
  readonly resolution = 1e-9;
  private readonly origin = performance.now();
  private readonly cell = new Int32Array(new SharedArrayBuffer(4));
  get clock(): Clock {
    return this;
  }
  time(): number {
    return (performance.now() - this.origin) / 1000;
  }
  block(deadline: number | null, isSatisfied: () => boolean): void {
    if (isSatisfied()) return;
    if (deadline === null) throw new Deadlock();
    const ms = (deadline - this.time()) * 1000;
    if (ms > 0) Atomics.wait(this.cell, 0, 0, ms);
  }
}
