/**
 * Docs example "Running Tasks Concurrently" (asyncio.gather):
 *
 *     import asyncio
 *
 *     async def factorial(name, number):
 *         f = 1
 *         for i in range(2, number + 1):
 *             print(f"Task {name}: Compute factorial({number}), currently i={i}...")
 *             await asyncio.sleep(1)
 *             f *= i
 *         print(f"Task {name}: factorial({number}) = {f}")
 *         return f
 *
 *     async def main():
 *         # Schedule three calls *concurrently*:
 *         L = await asyncio.gather(
 *             factorial("A", 2),
 *             factorial("B", 3),
 *             factorial("C", 4),
 *         )
 *         print(L)
 *
 *     asyncio.run(main())
 *
 * Scenario: conformance/scenarios/gather/factorial.yaml
 */
import { createAsyncio } from '../index';
import { printer, Report } from './trace';

export function main(report: Report, python?: string): void {
  const asyncio = createAsyncio({ python });
  const print = printer(asyncio, report);

  const factorial = asyncio.asyncDef(function* factorial(name: string, number: number) {
    let f = 1;
    for (let i = 2; i < number + 1; i++) {
      print(`Task ${name}: Compute factorial(${number}), currently i=${i}...`);
      yield* asyncio.sleep(1);
      f *= i;
    }
    print(`Task ${name}: factorial(${number}) = ${f}`);
    return f;
  });

  const main = asyncio.asyncDef(function* main() {
    // Schedule three calls *concurrently*:
    const L: number[] = yield* asyncio.gather!([
      factorial('A', 2),
      factorial('B', 3),
      factorial('C', 4),
    ]);
    print(L);
  });

  asyncio.run(main());
}
