/**
 * What V8 itself costs for the two shapes the reference cannot make 10× /
 * 3× faster than CPython (a script, not a test; it prints):
 * - a 1000-deep chain of nested `yield*` generators, created and resumed
 *   once at the bottom (the floor under the `chain` benchmark shape);
 * - throwing a stack-less exception into a suspended generator that lets it
 *   escape (the one throw every cancellation needs, so that `except` and
 *   `finally` in the coroutine run as in Python).
 *
 *   node dist/reference/bench/v8_floor.js
 */
function* leaf(): Generator<number, number, unknown> {
  yield 1;
  return 1;
}
function* level(n: number): Generator<number, number, unknown> {
  return n === 0 ? yield* leaf() : yield* level(n - 1);
}
function chain(): void {
  const g = level(1000);
  g.next();
  g.next();
}

class Cancelled {}
function* waiter(): Generator<number, void, unknown> {
  yield 1;
}
function throwOnce(): void {
  const g = waiter();
  g.next();
  try {
    g.throw(new Cancelled());
  } catch {
    // escaped, as a CancelledError leaves a cancelled task's coroutine
  }
}

function bestMicros(fn: () => void, n: number): number {
  for (let i = 0; i < n; i++) fn(); // warm-up
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e3 / n);
  }
  return best;
}

console.log(`V8 ${process.versions.v8}, best of 5:`);
console.log(`  1000-deep nested yield* chain, created and resumed once: ${bestMicros(chain, 200).toFixed(1)} µs`);
console.log(`  throw into a suspended generator, escaping (incl. creating it): ${bestMicros(throwOnce, 100_000).toFixed(3)} µs`);
