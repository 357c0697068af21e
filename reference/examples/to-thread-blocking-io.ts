/**
 * Docs example "Running in Threads" (asyncio.to_thread, 3.9+):
 *
 *     def blocking_io():
 *         print(f"start blocking_io at {time.strftime('%X')}")
 *         # Note that time.sleep() can be replaced with any blocking
 *         # IO-bound operation, such as file operations.
 *         time.sleep(1)
 *         print(f"blocking_io complete at {time.strftime('%X')}")
 *
 *     async def main():
 *         print(f"started main at {time.strftime('%X')}")
 *
 *         await asyncio.gather(
 *             asyncio.to_thread(blocking_io),
 *             asyncio.sleep(1))
 *
 *         print(f"finished main at {time.strftime('%X')}")
 *
 *
 *     asyncio.run(main())
 *
 *     # Expected output:
 *     #
 *     # started main at 19:50:53
 *     # start blocking_io at 19:50:53
 *     # blocking_io complete at 19:50:54
 *     # finished main at 19:50:54
 *
 * blocking_io runs in a simulated thread on the virtual clock: it is a
 * generator, and blocks in the runtime's time.sleep with
 * `yield* timeSleepGen(threads, 1)`. The loop-time stamp stands for
 * `time.strftime('%X')`.
 *
 * Scenario: conformance/scenarios/to-thread/blocking-io.yaml
 */
import { createAsyncio, installThreads, timeSleepGen } from '../index';
import { printer, Report } from './trace';

export function main(report: Report, python?: string): void {
  const asyncio = createAsyncio({ python });
  const print = printer(asyncio, report);
  const threads = installThreads(asyncio.runtime);

  function* blocking_io() {
    print('start blocking_io');
    // Note that time.sleep() can be replaced with any blocking
    // IO-bound operation, such as file operations.
    yield* timeSleepGen(threads, 1);
    print('blocking_io complete');
  }

  const main = asyncio.asyncDef(function* main() {
    print('started main');

    yield* asyncio.gather!([
      asyncio.to_thread!(blocking_io),
      asyncio.sleep(1)]);

    print('finished main');
  });

  asyncio.run(main());
}
