/**
 * Executors run one scenario at a time per slot and say what happened,
 * never throwing for a scenario's sake: a crash, a hang or a harness error
 * becomes a failed JobResult with a reason, and the run goes on.
 *
 * - `DirectExecutor`: an in-process adapter object on this thread (the
 *   programmatic API's `{adapter}`, which cannot be sent to a worker); a hang
 *   in a pending promise is caught by the timeout, a synchronous endless
 *   loop is not.
 * - `WorkerExecutor`: in-process adapters in worker_threads, one scenario
 *   per worker at a time; a worker that overruns the timeout is terminated
 *   and replaced.
 * - `ProcessExecutor`: a pool of implementation processes (adapters/process.ts).
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Scenario } from '../language/ast';
import type { InProcessAdapter } from '../adapters/adapter';
import type { RunResult } from '../results';
import { ProcessAdapter, type Hello, type ProcessAdapterOptions } from '../adapters/process';
import { interpreter, type InterpretFn } from './deps';
import type { ImplementationSummary } from './types';

export interface JobResult {
  ok: boolean;
  result?: RunResult;
  /** Why the scenario could not be judged (when !ok). */
  reason?: string;
  ms: number;
}

export interface Executor {
  readonly info: ImplementationSummary;
  /** How many scenarios may be in flight at once. */
  readonly concurrency: number;
  run(scenario: Scenario, python: string): Promise<JobResult>;
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** An exception as one line: `Name: message`, without the name for a plain Error. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message}`;
  return `harness caught a non-Error value: ${String(err)}`;
}

export function infoOf(adapter: InProcessAdapter, python: string): ImplementationSummary {
  const i = adapter.info();
  return { name: i.name, version: i.version, python, capabilities: i.capabilities.slice() };
}

// ---------------------------------------------------------------------------
// In-process, this thread

export class DirectExecutor implements Executor {
  readonly concurrency = 1;
  readonly info: ImplementationSummary;
  private readonly interpret: InterpretFn;

  constructor(private readonly adapter: InProcessAdapter, python: string, private readonly timeoutMs = DEFAULT_TIMEOUT_MS, interpret?: InterpretFn) {
    this.info = infoOf(adapter, python);
    this.interpret = interpret ?? interpreter();
  }

  async run(scenario: Scenario, python: string): Promise<JobResult> {
    const start = process.hrtime.bigint();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${this.timeoutMs} ms (in-process run still pending)`)), this.timeoutMs);
    });
    try {
      const result = await Promise.race([this.interpret(scenario, this.adapter, python), timeout]);
      return { ok: true, result, ms: elapsed(start) };
    } catch (err) {
      return { ok: false, reason: `harness error: ${describeError(err)}`, ms: elapsed(start) };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {}
}

// ---------------------------------------------------------------------------
// In-process, worker threads

/** How a worker builds its adapter: the reference, or a module exporting one. */
export type WorkerAdapterSpec = { kind: 'reference' } | { kind: 'module'; path: string };

interface WorkerSlot {
  worker: Worker;
  pending?: { seq: number; resolve(r: JobResult): void; timer: NodeJS.Timeout; start: bigint };
}

export class WorkerExecutor implements Executor {
  private readonly slots: WorkerSlot[] = [];
  private readonly idle: WorkerSlot[] = [];
  private readonly waiting: ((slot: WorkerSlot) => void)[] = [];
  private seq = 0;

  constructor(
    readonly info: ImplementationSummary,
    private readonly spec: WorkerAdapterSpec,
    readonly concurrency: number,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    for (let k = 0; k < concurrency; k++) this.idle.push(this.spawn());
  }

  private spawn(): WorkerSlot {
    const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: this.spec });
    const slot: WorkerSlot = { worker };
    worker.on('message', (msg: { seq: number; ok: boolean; result?: RunResult; reason?: string }) => {
      const p = slot.pending;
      if (!p || p.seq !== msg.seq) return;
      clearTimeout(p.timer);
      slot.pending = undefined;
      p.resolve({ ok: msg.ok, result: msg.result, reason: msg.reason, ms: elapsed(p.start) });
      this.release(slot);
    });
    const dead = (why: string) => {
      const p = slot.pending;
      slot.pending = undefined;
      if (p) {
        clearTimeout(p.timer);
        p.resolve({ ok: false, reason: why, ms: elapsed(p.start) });
      }
      this.replace(slot);
    };
    worker.on('error', (err) => dead(`worker crashed: ${describeError(err)}`));
    // Also when idle: a worker that is gone must be replaced before it is handed a scenario.
    worker.on('exit', (code) => dead(`worker exited with status ${code}`));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private replace(slot: WorkerSlot): void {
    const k = this.slots.indexOf(slot);
    if (k < 0) return;
    this.slots.splice(k, 1);
    // A worker that dies while idle must not be handed out again.
    const i = this.idle.indexOf(slot);
    if (i >= 0) this.idle.splice(i, 1);
    void slot.worker.terminate();
    this.release(this.spawn());
  }

  private release(slot: WorkerSlot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  private acquire(): Promise<WorkerSlot> {
    const slot = this.idle.shift();
    return slot ? Promise.resolve(slot) : new Promise((resolve) => this.waiting.push(resolve));
  }

  async run(scenario: Scenario, python: string): Promise<JobResult> {
    const slot = await this.acquire();
    const seq = ++this.seq;
    const start = process.hrtime.bigint();
    return new Promise<JobResult>((resolve) => {
      const timer = setTimeout(() => {
        slot.pending = undefined;
        resolve({ ok: false, reason: `hung: no result within ${this.timeoutMs} ms; worker terminated`, ms: elapsed(start) });
        this.replace(slot);
      }, this.timeoutMs);
      slot.pending = { seq, resolve, timer, start };
      slot.worker.postMessage({ seq, scenario, python });
    });
  }

  async close(): Promise<void> {
    const all = this.slots.splice(0);
    await Promise.all(all.map((s) => s.worker.terminate()));
  }
}

// ---------------------------------------------------------------------------
// Implementation processes

export class ProcessExecutor implements Executor {
  private readonly idle: ProcessAdapter[];
  private readonly all: ProcessAdapter[];
  private readonly waiting: ((a: ProcessAdapter) => void)[] = [];

  private constructor(readonly info: ImplementationSummary, adapters: ProcessAdapter[], readonly startFailure?: string) {
    this.all = adapters;
    this.idle = adapters.slice();
  }

  get concurrency(): number {
    return this.all.length;
  }

  /**
   * Starts one process to learn who it is (its hello), then `jobs - 1` more
   * lazily. When the first start fails, the executor still exists: every
   * scenario it runs fails with the start failure, so the report stays complete.
   */
  static async start(options: ProcessAdapterOptions, jobs: number): Promise<ProcessExecutor> {
    const adapters = Array.from({ length: Math.max(1, jobs) }, () => new ProcessAdapter(options));
    let hello: Hello | undefined;
    let failure: string | undefined;
    try {
      hello = await adapters[0].start();
    } catch (err) {
      failure = describeError(err);
    }
    const info: ImplementationSummary = hello
      ? { name: hello.implementation.name, version: hello.implementation.version, python: hello.python, capabilities: hello.capabilities.slice() }
      : { name: [options.command, ...(options.args ?? [])].join(' '), version: 'unknown', python: 'unknown', capabilities: [] };
    return new ProcessExecutor(info, hello ? adapters : adapters.slice(0, 1), failure);
  }

  private acquire(): Promise<ProcessAdapter> {
    const a = this.idle.shift();
    return a ? Promise.resolve(a) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(a: ProcessAdapter): void {
    const next = this.waiting.shift();
    if (next) next(a);
    else this.idle.push(a);
  }

  async run(scenario: Scenario, python: string): Promise<JobResult> {
    const start = process.hrtime.bigint();
    if (this.startFailure) return { ok: false, reason: `implementation unavailable: ${this.startFailure}`, ms: 0 };
    const adapter = await this.acquire();
    try {
      const result = await adapter.run(scenario, python);
      return { ok: true, result, ms: elapsed(start) };
    } catch (err) {
      return { ok: false, reason: (err as Error).message, ms: elapsed(start) };
    } finally {
      this.release(adapter);
    }
  }

  /** Total number of processes spawned (restarts included). */
  get spawned(): number {
    return this.all.reduce((n, a) => n + a.spawned, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((a) => a.close()));
  }
}
