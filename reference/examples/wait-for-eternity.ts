/**
 * Docs example "Timeouts" (asyncio.wait_for):
 *
 *     async def eternity():
 *         # Sleep for one hour
 *         await asyncio.sleep(3600)
 *         print('yay!')
 *
 *     async def main():
 *         # Wait for at most 1 second
 *         try:
 *             await asyncio.wait_for(eternity(), timeout=1.0)
 *         except asyncio.TimeoutError:
 *             print('timeout!')
 *
 *     asyncio.run(main())
 *
 *     # Expected output:
 *     #
 *     #     timeout!
 *
 * Scenario: conformance/scenarios/wait-for/eternity.yaml
 */
import { createAsyncio } from '../index';
import { printer, Report } from './trace';

export function main(report: Report, python?: string): void {
  const asyncio = createAsyncio({ python });
  const print = printer(asyncio, report);

  const eternity = asyncio.asyncDef(function* eternity() {
    // Sleep for one hour
    yield* asyncio.sleep(3600);
    print('yay!');
  });

  const main = asyncio.asyncDef(function* main() {
    // Wait for at most 1 second
    try {
      yield* asyncio.wait_for!(eternity(), /* timeout= */ 1.0);
    } catch (e) {
      if (!(e instanceof asyncio.TimeoutError)) throw e;
      print('timeout!');
    }
  });

  asyncio.run(main());
}
