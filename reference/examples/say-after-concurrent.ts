/**
 * Docs example "Coroutines": asyncio.create_task() runs the two say_after
 * coroutines concurrently; the run takes 1 second less than the
 * sequential one:
 *
 *     async def main():
 *         task1 = asyncio.create_task(
 *             say_after(1, 'hello'))
 *
 *         task2 = asyncio.create_task(
 *             say_after(2, 'world'))
 *
 *         print(f"started at {time.strftime('%X')}")
 *
 *         # Wait until both tasks are completed (should take
 *         # around 2 seconds.)
 *         await task1
 *         await task2
 *
 *         print(f"finished at {time.strftime('%X')}")
 *
 * (say_after as in say-after-sequential.ts.) The loop-time stamp stands for
 * `time.strftime('%X')`.
 *
 * Scenario: conformance/scenarios/tasks/say-after-concurrent.yaml
 */
import { createAsyncio } from '../index';
import { sayAfter } from './say-after-sequential';
import { printer, Report } from './trace';

export function main(report: Report, python?: string): void {
  const asyncio = createAsyncio({ python });
  const print = printer(asyncio, report);

  const say_after = sayAfter(asyncio, print);

  const main = asyncio.asyncDef(function* main() {
    const task1 = asyncio.create_task(
      say_after(1, 'hello'));

    const task2 = asyncio.create_task(
      say_after(2, 'world'));

    print('started');

    // Wait until both tasks are completed (should take
    // around 2 seconds.)
    yield* task1;
    yield* task2;

    print('finished');
  });

  asyncio.run(main());
}
