/**
 * Docs example "Coroutines": awaiting a coroutine. Prints "hello" after
 * waiting 1 second, then "world" after waiting *another* 2 seconds:
 *
 *     import asyncio
 *     import time
 *
 *     async def say_after(delay, what):
 *         await asyncio.sleep(delay)
 *         print(what)
 *
 *     async def main():
 *         print(f"started at {time.strftime('%X')}")
 *
 *         await say_after(1, 'hello')
 *         await say_after(2, 'world')
 *
 *         print(f"finished at {time.strftime('%X')}")
 *
 *     asyncio.run(main())
 *
 * The clock is virtual: every printed line is stamped with the loop time,
 * which stands for `time.strftime('%X')`.
 *
 * Scenario: conformance/scenarios/coroutines/say-after-sequential.yaml
 */
import type { Asyncio } from '../asyncio';
import { createAsyncio } from '../index';
import { printer, Report } from './trace';

/** `async def say_after(delay, what)` on `asyncio`, printing with `print` (shared with say-after-concurrent.ts). */
export function sayAfter(asyncio: Asyncio, print: (...values: unknown[]) => void) {
  return asyncio.asyncDef(function* say_after(delay: number, what: string) {
    yield* asyncio.sleep(delay);
    print(what);
  });
}

export function main(report: Report, python?: string): void {
  const asyncio = createAsyncio({ python });
  const print = printer(asyncio, report);

  const say_after = sayAfter(asyncio, print);

  const main = asyncio.asyncDef(function* main() {
    print('started');

    yield* say_after(1, 'hello');
    yield* say_after(2, 'world');

    print('finished');
  });

  asyncio.run(main());
}
