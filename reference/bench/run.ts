/**
 * Reference runtime speed (a script, not a test):
 *
 *     node dist/reference/bench/run.js [--python PATH] [--scale F] [--repeat K]
 *                                      [--only sleep0,gather,...] [--no-python]
 *                                      [--clock wall|cpu]
 *
 * Six shapes of asyncio work, run side by side in one go: first on CPython
 * (reference/bench/shapes.py, spawned with `python3` or --python PATH, on its
 * normal loop), then on the reference runtime (the virtual clock, profile =
 * the spawned interpreter's major.minor). Per shape it prints CPython µs/op,
 * reference µs/op, the speed-up (CPython / reference), the target and
 * OK/BELOW. Targets: >= 10x on every shape, >= 3x on cancellation.
 *
 * Each shape returns an observable result (a count and a sum) as its check
 * string; the `check` column says whether both runtimes produced the same
 * one, so a broken runtime cannot look fast. No shape sleeps for real.
 *
 * Measurement: the clock runs inside the shape's coroutine (after setup that
 * is not the operation, before asyncio.run's shutdown; wall time, or with
 * `--clock cpu` the process's CPU time, steadier on an oversubscribed
 * machine but counting V8's GC helper threads too), each shape is
 * repeated `--repeat` times and the best run counts (shared, noisy machine).
 * The reference side first runs every shape at a tenth of its size to warm
 * the JIT, then interleaves the repetitions across shapes. One Asyncio
 * instance serves all runs, as one interpreter serves CPython's.
 *
 * The shapes here and in shapes.py are written line for line alike; change
 * both together.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { Asyncio, createAsyncio } from '../asyncio';
import type { CoroutineFunction } from '../coroutines';
import type { Future } from '../futures';
import type { Task } from '../tasks';
import { FLOOR_SHAPES, floorMicros } from './v8_floor';

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const PYTHON = option('--python') ?? 'python3';
const SCALE = Number(option('--scale') ?? 1) || 1;
const REPEAT = Math.max(1, Number(option('--repeat') ?? 5) || 5);
const ONLY = (option('--only') ?? '').split(',').filter(Boolean);
const NO_PYTHON = process.argv.includes('--no-python');
const CLOCK = option('--clock') === 'cpu' ? 'cpu' : 'wall';

// ---------------------------------------------------------------------------
// The shapes (mirror shapes.py)
// ---------------------------------------------------------------------------

/** A shape's coroutine resolves to [seconds, check]. */
type Outcome = [number, string];
type ShapeFn = CoroutineFunction<[number], Outcome>;

interface Shape {
  name: string;
  /** Operations at scale 1 (as shapes.py). */
  ops: number;
  /** What one operation is, for the table's legend. */
  what: string;
  /** Minimum speed-up over CPython. */
  target: number;
}

const SHAPES: Shape[] = [
  { name: 'sleep0', ops: 200_000, what: 'one sleep(0) switch of a single task', target: 10 },
  { name: 'gather', ops: 100_000, what: 'create_task + its share of gather(), 100k tasks', target: 10 },
  { name: 'future', ops: 50_000, what: 'future + task awaiting it + sleep(0) + set_result + await task', target: 10 },
  { name: 'cancel', ops: 10_000, what: 'cancel() of a blocked task + its share of gather(return_exceptions=True), 10k tasks', target: 3 },
  { name: 'wait_for', ops: 50_000, what: 'await wait_for(coro, 10), the timeout never fires', target: 10 },
  { name: 'chain', ops: 200, what: 'one 1000-deep coroutine await chain whose innermost does sleep(0)', target: 10 },
];

/** The stopwatch, in seconds. */
const perf: () => number = CLOCK === 'cpu'
  ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; }
  : () => performance.now() / 1000;

/** The six shapes as coroutine functions of one Asyncio. */
function makeShapes(a: Asyncio): Record<string, ShapeFn> {
  const gather = a.gather!;
  const wait_for = a.wait_for!;

  const sleep0 = a.asyncDef(function* sleep0(n: number): Generator<unknown, Outcome, unknown> {
    let count = 0;
    const t0 = perf();
    for (let i = 0; i < n; i++) {
      yield* a.sleep(0);
      count += 1;
    }
    return [perf() - t0, `switches=${count}`];
  });

  const child = a.asyncDef(function* child(i: number): Generator<unknown, number, unknown> {
    return i;
  });

  const gatherTasks = a.asyncDef(function* gather_tasks(n: number): Generator<unknown, Outcome, unknown> {
    const t0 = perf();
    const tasks: Task<unknown>[] = [];
    for (let i = 0; i < n; i++) tasks.push(a.create_task(child(i)));
    const results = (yield* gather(tasks)) as number[];
    const dt = perf() - t0;
    return [dt, `len=${results.length} sum=${sum(results)}`];
  });

  const waiter = a.asyncDef(function* waiter(fut: Future<unknown>): Generator<unknown, unknown, unknown> {
    return yield* fut;
  });

  const futureSetResult = a.asyncDef(function* future_set_result(n: number): Generator<unknown, Outcome, unknown> {
    const loop = a.get_running_loop();
    let total = 0;
    const t0 = perf();
    for (let i = 0; i < n; i++) {
      const fut = loop.create_future() as Future<unknown>;
      const task = a.create_task(waiter(fut));
      yield* a.sleep(0); // the task is now blocked on fut
      fut.set_result(i);
      total += (yield* task) as number;
    }
    return [perf() - t0, `sum=${total}`];
  });

  const blocked = a.asyncDef(function* blocked(): Generator<unknown, void, unknown> {
    yield* a.get_running_loop().create_future() as Future<unknown>;
  });

  const cancelGather = a.asyncDef(function* cancel_gather(n: number): Generator<unknown, Outcome, unknown> {
    const tasks: Task<unknown>[] = [];
    for (let i = 0; i < n; i++) tasks.push(a.create_task(blocked()));
    yield* a.sleep(0); // every task is now blocked
    const t0 = perf();
    for (const t of tasks) t.cancel();
    const results = (yield* gather(tasks, { return_exceptions: true })) as unknown[];
    const dt = perf() - t0;
    let cancelled = 0;
    for (const r of results) if (r instanceof a.CancelledError) cancelled++;
    return [dt, `len=${results.length} cancelled=${cancelled}`];
  });

  const waitForNoTimeout = a.asyncDef(function* wait_for_no_timeout(n: number): Generator<unknown, Outcome, unknown> {
    let total = 0;
    const t0 = perf();
    for (let i = 0; i < n; i++) total += (yield* wait_for(child(i), 10)) as number;
    return [perf() - t0, `sum=${total}`];
  });

  const chain: CoroutineFunction<[number], number> = a.asyncDef(function* chain(depth: number): Generator<unknown, number, unknown> {
    if (depth === 0) {
      yield* a.sleep(0);
      return 1;
    }
    return 1 + (yield* chain(depth - 1));
  });

  const awaitChain = a.asyncDef(function* await_chain(n: number): Generator<unknown, Outcome, unknown> {
    let total = 0;
    const t0 = perf();
    for (let i = 0; i < n; i++) total += (yield* chain(999)) as number;
    return [perf() - t0, `sum=${total}`];
  });

  return {
    sleep0,
    gather: gatherTasks,
    future: futureSetResult,
    cancel: cancelGather,
    wait_for: waitForNoTimeout,
    chain: awaitChain,
  };
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/**
 * A function that forces a full GC. V8 exposes `gc` only behind a flag; set
 * after start-up, the flag applies to contexts created later, so the
 * function comes from a fresh vm context.
 */
function forceGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Untimed: live heap per task once n tasks exist and gather() has been
 * called (full GCs before and after, so only what the tasks keep alive
 * counts, as tracemalloc counts on the CPython side).
 */
function heapPerTask(a: Asyncio, n: number): number {
  const gc = forceGc();
  const child = a.asyncDef(function* child(i: number): Generator<unknown, number, unknown> {
    return i;
  });
  const main = a.asyncDef(function* heap_per_task(): Generator<unknown, number, unknown> {
    gc();
    const base = process.memoryUsage().heapUsed;
    const tasks: Task<unknown>[] = [];
    for (let i = 0; i < n; i++) tasks.push(a.create_task(child(i)));
    const g = a.gather!(tasks) as Future<unknown>;
    gc();
    const used = process.memoryUsage().heapUsed - base;
    yield* g;
    return used / n;
  });
  return a.run(main()) as number;
}

// ---------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------

interface Measured {
  n: number;
  best: number;
  runs: number[];
  check: string;
}

interface PythonReport {
  version: string | null;
  shapes: Map<string, Measured & { bytesPerTask?: number }>;
  error: string | null;
}

function runPython(names: string[]): PythonReport {
  const script = path.join(__dirname, '..', '..', '..', 'reference', 'bench', 'shapes.py');
  const args = [script, '--scale', String(SCALE), '--repeat', String(REPEAT), '--only', names.join(','), '--clock', CLOCK];
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const report: PythonReport = { version: null, shapes: new Map(), error: null };
  if (r.error || r.status !== 0) {
    report.error = r.error ? r.error.message : `exit ${r.status}: ${(r.stderr || '').trim().split('\n').pop()}`;
    return report;
  }
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as Record<string, unknown>;
    if (typeof o.python === 'string') report.version = o.python;
    else {
      report.shapes.set(o.shape as string, {
        n: o.n as number, best: o.best_us as number, runs: o.runs_us as number[], check: o.check as string,
        bytesPerTask: o.bytes_per_task as number | undefined,
      });
    }
  }
  return report;
}

function runReference(a: Asyncio, names: string[]): Map<string, Measured> {
  const fns = makeShapes(a);
  const size = (s: string) => Math.max(1, Math.floor(SHAPES.find((x) => x.name === s)!.ops * SCALE));
  // Warm-up: every shape, twice, at a tenth of its size.
  for (let w = 0; w < 2; w++) for (const s of names) a.run(fns[s](Math.max(1, Math.floor(size(s) / 10))));
  const out = new Map<string, Measured>();
  for (const s of names) out.set(s, { n: size(s), best: Infinity, runs: [], check: '' });
  for (let k = 0; k < REPEAT; k++) {
    for (const s of names) {
      const m = out.get(s)!;
      const [seconds, check] = a.run(fns[s](m.n)) as Outcome;
      const us = (seconds * 1e6) / m.n;
      m.runs.push(us);
      m.best = Math.min(m.best, us);
      m.check = check;
    }
  }
  return out;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

function fmt(us: number): string {
  if (!Number.isFinite(us)) return '-';
  return us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us >= 1 ? us.toFixed(2) : us.toFixed(3);
}

function main(): void {
  const names = SHAPES.map((s) => s.name).filter((s) => !ONLY.length || ONLY.includes(s));
  const py: PythonReport = NO_PYTHON ? { version: null, shapes: new Map(), error: 'skipped (--no-python)' } : runPython(names);
  const minor = py.version ? py.version.split('.').slice(0, 2).join('.') : '3.11';
  const a = createAsyncio({ python: minor });
  const ref = runReference(a, names);

  console.log(`reference runtime speed: CPython ${py.version ?? `n/a (${py.error})`} (${PYTHON}) vs reference ` +
    `(profile ${minor}, virtual clock), node ${process.version}; ${CLOCK} time, best of ${REPEAT}, scale ${SCALE}`);
  const header = [pad('shape', 9), pad('ops', 7, true), pad('CPython µs/op', 14, true), pad('ref µs/op', 10, true),
    pad('ratio', 7, true), pad('target', 7, true), pad('status', 7), 'check'];
  console.log(header.join('  '));
  for (const s of SHAPES) {
    if (!names.includes(s.name)) continue;
    const r = ref.get(s.name)!;
    const p = py.shapes.get(s.name);
    const ratio = p ? p.best / r.best : NaN;
    const status = !p ? 'n/a' : ratio >= s.target ? 'OK' : 'BELOW';
    const check = !p ? r.check : p.check === r.check ? `same (${r.check})` : `DIFF py(${p.check}) ref(${r.check})`;
    console.log([pad(s.name, 9), pad(String(r.n), 7, true), pad(p ? fmt(p.best) : '-', 14, true), pad(fmt(r.best), 10, true),
      pad(Number.isFinite(ratio) ? `${ratio.toFixed(1)}x` : '-', 7, true), pad(`${s.target}x`, 7, true), pad(status, 7), check].join('  '));
  }
  if (names.includes('gather')) {
    const n = ref.get('gather')!.n;
    const bytes = heapPerTask(a, n);
    const pyBytes = py.shapes.get('gather')?.bytesPerTask;
    console.log(`memory, gather of ${n} tasks: reference ${bytes.toFixed(0)} B/task (live heap after a full GC)` +
      `, CPython ${pyBytes !== undefined ? pyBytes.toFixed(0) : '-'} B/task (tracemalloc)`);
  }
  const floored = names.filter((s) => FLOOR_SHAPES.includes(s));
  if (floored.length) {
    // What a runtime with no asyncio semantics at all costs on this V8: the
    // best speed-up any generator-based runtime could show is CPython/floor.
    console.log('V8 floor (bare generators, no asyncio semantics: reference/bench/v8_floor.ts), same run:');
    for (const s of floored) {
      const shape = SHAPES.find((x) => x.name === s)!;
      const floor = floorMicros(s, ref.get(s)!.n, REPEAT)!;
      const p = py.shapes.get(s);
      const best = p ? p.best / floor : NaN;
      const verdict = !p ? '' : best < shape.target ? `  (below the ${shape.target}x target even with no semantics)` : '';
      console.log(`  ${pad(s, 9)} floor ${fmt(floor)} µs/op   CPython/floor ${Number.isFinite(best) ? best.toFixed(1) + 'x' : '-'}` +
        `   reference/floor ${(ref.get(s)!.best / floor).toFixed(1)}x${verdict}`);
    }
  }
  console.log('runs (µs/op), reference | CPython:');
  for (const s of names) {
    const p = py.shapes.get(s);
    console.log(`  ${pad(s, 9)} ${ref.get(s)!.runs.map(fmt).join(' ')} | ${p ? p.runs.map(fmt).join(' ') : '-'}`);
  }
  console.log('one op is:');
  for (const s of SHAPES) if (names.includes(s.name)) console.log(`  ${pad(s.name, 9)} ${s.what}`);
}

main();
