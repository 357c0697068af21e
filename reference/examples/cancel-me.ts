/**
 * Docs example "Task Object" (Task.cancel): how a coroutine can intercept
 * the cancellation request:
 *
 *     async def cancel_me():
 *         print('cancel_me(): before sleep')
 *
 *         try:
 *             # Wait for 1 hour
 *             await asyncio.sleep(3600)
 *         except asyncio.CancelledError:
 *             print('cancel_me(): cancel sleep')
 *             raise
 *         finally:
 *             print('cancel_me(): after sleep')
 *
 *     async def main():
 *         # Create a "cancel_me" Task
 *         task = asyncio.create_task(cancel_me())
 *
 *         # Wait for 1 second
 *         await asyncio.sleep(1)
 *
 *         task.cancel()
 *         try:
 *             await task
 *         except asyncio.CancelledError:
 *             print("main(): cancel_me is cancelled now")
 *
 *     asyncio.run(main())
 *
 *     # Expected output:
 *     #
 *     #     cancel_me(): before sleep
 *     #     cancel_me(): cancel sleep
 *     #     cancel_me(): after sleep
 *     #     main(): cancel_me is cancelled now
 *
 * Scenario: conformance/scenarios/cancellation/cancel-me.yaml
 */
import { createAsyncio } from '../index';
import { printer, Report } from './trace';

export function main(report: Report, python?: string): void {
  const asyncio = createAsyncio({ python });
  const print = printer(asyncio, report);

  const cancel_me = asyncio.asyncDef(function* cancel_me() {
    print('cancel_me(): before sleep');

    try {
      // Wait for 1 hour
      yield* asyncio.sleep(3600);
    } catch (e) {
      if (!(e instanceof asyncio.CancelledError)) throw e;
      print('cancel_me(): cancel sleep');
      throw e;
    } finally {
      print('cancel_me(): after sleep');
    }
  });

  const main = asyncio.asyncDef(function* main() {
    // Create a "cancel_me" Task
    const task = asyncio.create_task(cancel_me());

    // Wait for 1 second
    yield* asyncio.sleep(1);

    task.cancel();
    try {
      yield* task;
    } catch (e) {
      if (!(e instanceof asyncio.CancelledError)) throw e;
      print('main(): cancel_me is cancelled now');
    }
  });

  asyncio.run(main());
}
