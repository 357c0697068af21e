/**
 * Docs example "Coroutines", the first snippet:
 *
 *     >>> import asyncio
 *
 *     >>> async def main():
 *     ...     print('hello')
 *     ...     await asyncio.sleep(1)
 *     ...     print('world')
 *
 *     >>> asyncio.run(main())
 *     hello
 *     world
 *
 * Scenario: conformance/scenarios/coroutines/hello-world.yaml
 */
import { createAsyncio } from '../index';
import { printer, Report } from './trace';

export function main(report: Report, python?: string): void {
  const asyncio = createAsyncio({ python });
  const print = printer(asyncio, report);

  const main = asyncio.asyncDef(function* main() {
    print('hello');
    yield* asyncio.sleep(1);
    print('world');
  });

  asyncio.run(main());
}
