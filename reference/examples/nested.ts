/**
 * Docs example "Awaitables / Coroutines": coroutines are awaitables, so
 * they can be awaited from other coroutines:
 *
 *     import asyncio
 *
 *     async def nested():
 *         return 42
 *
 *     async def main():
 *         # Nothing happens if we just call "nested()".
 *         # A coroutine object is created but not awaited,
 *         # so it *won't run at all*.
 *         nested()
 *
 *         # Let's do it differently now and await it:
 *         print(await nested())  # will print "42".
 *
 *     asyncio.run(main())
 *
 * Only the awaited part is reproduced: JavaScript has no reference counting,
 * so a dropped coroutine object cannot warn "coroutine 'nested' was never
 * awaited" by itself (the scenario interpreter calls
 * `Coroutine.dropUnawaited` for that).
 *
 * Scenario: conformance/scenarios/coroutines/nested-not-awaited.yaml
 */
import { createAsyncio } from '../index';
import { printer, Report } from './trace';

export function main(report: Report, python?: string): void {
  const asyncio = createAsyncio({ python });
  const print = printer(asyncio, report);

  const nested = asyncio.asyncDef(function* nested() {
    return 42;
  });

  const main = asyncio.asyncDef(function* main() {
    // Let's do it differently now and await it:
    print(yield* nested()); // will print "42".
  });

  asyncio.run(main());
}
