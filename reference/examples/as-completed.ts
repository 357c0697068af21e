/**
 * Docs example "Waiting Primitives" (asyncio.as_completed):
 *
 *     for coro in as_completed(aws):
 *         earliest_result = await coro
 *         # ...
 *
 * The docs give only the loop; `aws` and the printing are the scenario's:
 * three coroutines finishing after 3, 1 and 2 seconds, whose results come
 * out earliest first.
 *
 * Scenario: conformance/scenarios/as-completed/earliest-first.yaml
 */
import { createAsyncio } from '../index';
import { printer, Report } from './trace';

export function main(report: Report, python?: string): void {
  const asyncio = createAsyncio({ python });
  const print = printer(asyncio, report);

  const value_after = asyncio.asyncDef(function* value_after(delay: number, value: string) {
    yield* asyncio.sleep(delay);
    return value;
  });

  const main = asyncio.asyncDef(function* main() {
    const aws = [
      value_after(3, 'slow'),
      value_after(1, 'fast'),
      value_after(2, 'middle'),
    ];
    for (const coro of asyncio.as_completed!(aws)) {
      const earliest_result = yield* coro;
      print(earliest_result);
    }
  });

  asyncio.run(main());
}
