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
 * - chain: 1000 generators, each suspended once while the innermost
 *   sleeps, driven by a bare trampoline (a level yields its child and is
 *   resumed with the child's result). Every frame of an await chain stays
 *   suspended while the innermost sleeps, so a generator runtime creates
 *   each level and resumes it twice, whatever the design: nested `yield*`
 *   costs more than this trampoline on V8 (measured side by side:
 *   `node dist/reference/bench/v8_floor.js` prints both).
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

/** One level of the floor's chain: yields its child to the driver, gets the child's result back. */
function* level(depth: number): Generator<Generator<unknown, number, number> | null, number, number> {
  if (depth === 0) {
    yield null; // the innermost sleeps: one suspension seen by the driver
    return 1;
  }
  return 1 + (yield level(depth - 1));
}

/** µs per 1000-deep chain (as bench/run.ts's `chain`), trampolined, n chains. */
function chainOnce(n: number, depth = 1000): number {
  let sum = 0;
  const stack: Array<Generator<unknown, number, number>> = [];
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    stack.push(level(depth - 1));
    let sent = 0;
    while (stack.length) {
      const r = stack[stack.length - 1].next(sent);
      if (r.done) {
        stack.pop();
        sent = r.value;
      } else {
        if (r.value !== null) stack.push(r.value as Generator<unknown, number, number>);
        sent = 0;
      }
    }
    sum += sent;
  }
  const us = ((performance.now() - t0) * 1000) / n;
  if (sum !== n * depth) throw new Error('chain floor: wrong sum');
  return us;
}

/** The same chain with nested `yield*` (each level delegates to the next), for comparison only. */
function* nested(depth: number): Generator<null, number, unknown> {
  if (depth === 0) {
    yield null;
    return 1;
  }
  return 1 + (yield* nested(depth - 1));
}

function nestedChainOnce(n: number, depth = 1000): number {
  let sum = 0;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    const g = nested(depth - 1);
    g.next();
    sum += g.next().value as number;
  }
  const us = ((performance.now() - t0) * 1000) / n;
  if (sum !== n * depth) throw new Error('nested chain: wrong sum');
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
  console.log(`  chain: 1000 generators suspended once each, trampolined: ${floorMicros('chain', 200)!.toFixed(1)} µs/chain`);
  nestedChainOnce(20);
  let nestedBest = Infinity;
  for (let r = 0; r < 5; r++) nestedBest = Math.min(nestedBest, nestedChainOnce(200));
  console.log(`  chain with nested yield* instead (not a floor, for comparison): ${nestedBest.toFixed(1)} µs/chain`);
  // The same throw from a microtask: there Node's top-level TryCatch is not
  // on the stack, so V8 does not build a message object for each throw.
  queueMicrotask(() => {
    console.log(`  cancel, run from a microtask: ${floorMicros('cancel', 10_000)!.toFixed(3)} µs/task`);
  });
}
