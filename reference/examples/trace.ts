/**
 * The shared helper of the docs examples: Python's `print()` on a virtual
 * clock.
 *
 * Each example's `main(report, python?)` creates a fresh asyncio module and
 * reports every line its program prints through `report`, stamped with the
 * loop time at which it was printed: the docs' `time.strftime('%X')` and
 * `datetime.datetime.now()` become the stamp, since the clock is virtual.
 *
 * A reported line is the JSON text of `[loop.time(), text]`, e.g.
 * `[1,"hello"]`; {@link parseLine} reads it back.
 */
import type { Asyncio } from '../asyncio';
import { pyStr } from '../exceptions';

/** What an example reports its printed lines to. */
export type Report = (line: string) => void;

/** A printed line: the loop time, then the text. */
export type Stamped = [number, string];

/** The signature every example exports as `main`. */
export type Example = (report: Report, python?: string) => void;

/** The line reported for `text` printed at `time`. */
export function stamp(time: number, text: string): string {
  return JSON.stringify([time, text]);
}

/** The `[time, text]` of a reported line. */
export function parseLine(line: string): Stamped {
  const v: unknown = JSON.parse(line);
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'string') {
    throw new TypeError(`not a [time, text] line: ${line}`);
  }
  return [v[0], v[1]];
}

/**
 * `print(*values)` for a program on `asyncio`: str() of each value, joined
 * by spaces, stamped with the loop time (the runtime's clock, which is what
 * `loop.time()` reads; it is also readable from a simulated thread, where
 * there is no running loop).
 */
export function printer(asyncio: Asyncio, report: Report): (...values: unknown[]) => void {
  return (...values: unknown[]) => report(stamp(asyncio.runtime.clock.time(), values.map(pyStr).join(' ')));
}
