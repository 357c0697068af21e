/**
 * What V8 itself costs for the three shapes the reference is furthest from
 * its target on: the least work any runtime whose coroutines are JS
 * generators must do, with none of asyncio's semantics. bench/run.ts prints
 * these next to CPython's figures from the same run (CPython / floor is the
 * best speed-up such a runtime could show on this machine); run alone it
 * prints them with a few reference points:
 *
 *   node dist/reference/bench/v8_floor.js
 *
 * - gather: a minimal generator scheduler (a task is {generator, result,
 *   callbacks}, one FIFO array of calls): create n tasks, step each once,
 *   call the gathering callback of each, collect the results.
 * - cancel: per blocked task, one throw into its suspended generator that
 *   the generator lets escape. asyncio needs at least this one throw per
 *   cancellation so that `except` and `finally` in the coroutine run.
 * - chain: create 1000 generators and run each to completion, flat (no
 *   delegation, no suspension): a lower bound for a 1000-deep await chain
 *   under any design, nested `yield*` or trampolined.
 */

function* child(i: number): Generator<never, number, unknown> {
  return i;
}

interface MiniTask {
  gen: Generator<never, number, unknown>;
  result: number;
  callbacks: Array<(t: MiniTask) => void>;
}

/** µs per task of the minimal scheduler's create + gather of n tasks. */
function gatherOnce(n: number): number {
  const queue: unknown[] = [];
  const tasks: MiniTask[] = [];
  let finished = 0;
  let results: number[] | null = null;
  const onDone = (): void => {
    if (++finished === n) results = tasks.map((t) => t.result);
  };
  const step = (t: MiniTask): void => {
    const r = t.gen.next();
    if (r.done) {
      t.result = r.value;
      for (const cb of t.callbacks) queue.push(cb, t);
    }
  };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t: MiniTask = { gen: child(i), result: 0, callbacks: [] };
    tasks.push(t);
    queue.push(step, t);
  }
  for (const t of tasks) t.callbacks.push(onDone);
  for (let head = 0; head < queue.length; head += 2) {
    (queue[head] as (t: MiniTask) => void)(queue[head + 1] as MiniTask);
    queue[head] = queue[head + 1] = undefined;
  }
  const us = ((performance.now() - t0) * 1000) / n;
  if ((results as number[] | null)?.length !== n) throw new Error('gather floor: lost results');
  return us;
}

class Cancelled {}
function* blocked(): Generator<number, void, unknown> {
  yield 1;
}

/** µs per task of throwing into n suspended generators that let it escape. */
function cancelOnce(n: number): number {
  const gens: Array<Generator<number, void, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const g = blocked();
    g.next();
    gens.push(g);
  }
  let escaped = 0;
  const t0 = performance.now();
  for (const g of gens) {
    try {
      g.throw(new Cancelled());
    } catch {
      escaped++;
    }
  }
  const us = ((performance.now() - t0) * 1000) / n;
  if (escaped !== n) throw new Error('cancel floor: a throw did not escape');
  return us;
}

/** µs per chain of creating and finishing `depth` generators, n chains. */
function chainOnce(n: number, depth = 1000): number {
  let sum = 0;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < depth; i++) sum += child(1).next().value as number;
  }
  const us = ((performance.now() - t0) * 1000) / n;
  if (sum !== n * depth) throw new Error('chain floor: wrong sum');
  return us;
}

const FLOORS: Record<string, (n: number) => number> = { gather: gatherOnce, cancel: cancelOnce, chain: chainOnce };

/** The floor of a shape in µs/op (best of `repeat`, after a warm-up), or null if it has none. */
export function floorMicros(shape: string, n: number, repeat = 5): number | null {
  const f = FLOORS[shape];
  if (f === undefined) return null;
  f(Math.max(1, Math.floor(n / 10)));
  let best = Infinity;
  for (let r = 0; r < repeat; r++) best = Math.min(best, f(n));
  return best;
}

/** The shapes that have a floor. */
export const FLOOR_SHAPES = Object.keys(FLOORS);

if (require.main === module) {
  console.log(`V8 ${process.versions.v8} (node ${process.version}), best of 5:`);
  console.log(`  gather: minimal generator scheduler, create + gather of 100000 tasks: ${floorMicros('gather', 100_000)!.toFixed(3)} µs/task`);
  console.log(`  cancel: one throw into a suspended generator, escaping, 10000 tasks: ${floorMicros('cancel', 10_000)!.toFixed(3)} µs/task`);
  console.log(`  chain: create and finish 1000 generators: ${floorMicros('chain', 200)!.toFixed(1)} µs/chain`);
  // The same throw from a microtask: there Node's top-level TryCatch is not
  // on the stack, so V8 does not build a message object for each throw.
  queueMicrotask(() => {
    console.log(`  cancel, run from a microtask: ${floorMicros('cancel', 10_000)!.toFixed(3)} µs/task`);
  });
}
