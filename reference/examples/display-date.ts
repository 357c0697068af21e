/**
 * Docs example "Sleeping": a coroutine displaying the current date every
 * second for 5 seconds:
 *
 *     import asyncio
 *     import datetime
 *
 *     async def display_date():
 *         loop = asyncio.get_running_loop()
 *         end_time = loop.time() + 5.0
 *         while True:
 *             print(datetime.datetime.now())
 *             if (loop.time() + 1.0) >= end_time:
 *                 break
 *             await asyncio.sleep(1)
 *
 *     asyncio.run(display_date())
 *
 * The clock is virtual, so the loop time is printed instead of
 * `datetime.datetime.now()` (as a Python float: "0.0", "1.0", ...).
 *
 * Scenario: conformance/scenarios/sleep/display-date.yaml
 */
import { createAsyncio, floatRepr } from '../index';
import { printer, Report } from './trace';

export function main(report: Report, python?: string): void {
  const asyncio = createAsyncio({ python });
  const print = printer(asyncio, report);

  const display_date = asyncio.asyncDef(function* display_date() {
    const loop = asyncio.get_running_loop();
    const end_time = loop.time() + 5.0;
    while (true) {
      print(floatRepr(loop.time()));
      if ((loop.time() + 1.0) >= end_time) {
        break;
      }
      yield* asyncio.sleep(1);
    }
  });

  asyncio.run(display_date());
}
