/**
 * The process protocol, harness side (spec/ADAPTERS.md, spec/protocol/).
 *
 * An implementation in another language runs as a long-lived child process
 * speaking newline-delimited JSON: it greets with `hello`, then answers each
 * `run` with one `result` (or `error`), and exits on `bye`. Every incoming
 * line is validated against its JSON Schema.
 *
 * Failure containment: whatever goes wrong while a scenario is in flight (the
 * child exits, stays silent past the timeout, prints a line that is not JSON
 * or not a valid message, greets with another protocol version) fails THAT
 * scenario only, with a reason saying which of these happened. The child is
 * killed and a fresh one is started for the next scenario. A child that
 * cannot even be started and greeted a few times in a row is given up on:
 * the remaining scenarios fail fast with the last reason instead of each
 * paying a startup timeout.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import type { Scenario } from '../language/ast';
import type { RunResult } from '../results';
import { ROOT } from '../runner/deps';

export const PROTOCOL_VERSION = 1;
/** The capability by which a process asks for each scenario compiled to Python source. */
export const PYTHON_SOURCE = 'python-source';

export interface Hello {
  type: 'hello';
  protocol: number;
  implementation: { name: string; version: string };
  python: string;
  capabilities: string[];
}

export interface ProcessAdapterOptions {
  /** The executable, and its arguments. */
  command: string;
  args?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Longest time one scenario may take before the child is killed (ms). Default 10 000. */
  timeoutMs?: number;
  /** Longest time from spawn to `hello` (ms). Default 30 000 (Pyodide starts in seconds). */
  startupTimeoutMs?: number;
  /** Compiles a scenario to Python source, for children declaring `python-source`. */
  sourceFor?: (scenario: Scenario, python: string) => string;
  /** Consecutive failed starts after which the adapter gives up. Default 3. */
  maxFailedStarts?: number;
}

/** Why one scenario could not be judged; the message is what the report shows. */
export class ScenarioError extends Error {
  constructor(message: string, readonly kind: 'crash' | 'timeout' | 'garbage' | 'protocol' | 'start' | 'implementation') {
    super(message);
    this.name = 'ScenarioError';
  }
}

// ---------------------------------------------------------------------------
// Messages

const SCHEMA_DIR = path.join(ROOT, 'spec', 'protocol');
let validators: Record<'hello' | 'run' | 'result' | 'error' | 'bye', ValidateFunction> | undefined;

/** Validators for every message of the protocol, compiled once from spec/protocol/*.schema.json. */
export function protocolValidators(): NonNullable<typeof validators> {
  if (!validators) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    const load = (name: string) => ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')));
    validators = { hello: load('hello'), run: load('run'), result: load('result'), error: load('error'), bye: load('bye') };
  }
  return validators;
}

function schemaProblem(v: ValidateFunction): string {
  const e = v.errors?.[0];
  return e ? `${e.instancePath || '(message)'} ${e.message ?? 'is invalid'}` : 'is invalid';
}

/** The program as protocol JSON: ints as {"int": "123"}, non-finite floats as "inf"/"-inf"/"nan". */
export function encodeProgram(program: unknown): string {
  return JSON.stringify(program, (_key, value) => {
    if (typeof value === 'bigint') return { int: value.toString() };
    if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
    return value;
  });
}

/** Lines of an error's `detail` (a traceback, most telling last) kept in the message. */
export const DETAIL_LINES = 5;

/**
 * The message of an `error` answer to a run: its `message`, then the last
 * lines of its `detail` (the adapter's traceback), which otherwise would
 * never reach a report.
 */
export function implementationErrorMessage(answer: { message?: unknown; detail?: unknown }): string {
  const head = `implementation error: ${String(answer.message)}`;
  if (typeof answer.detail !== 'string') return head;
  const lines = answer.detail.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  if (lines.length === 0) return head;
  const tail = lines.slice(-DETAIL_LINES);
  return [head, ...(lines.length > tail.length ? ['  …'] : []), ...tail.map((l) => `  ${l}`)].join('\n');
}

/** Shortens a line for an error message. */
function clip(s: string, n = 120): string {
  return s.length > n ? `${JSON.stringify(s.slice(0, n))}…` : JSON.stringify(s);
}

// ---------------------------------------------------------------------------
// One child process

interface Waiter {
  /** What the waiter expects next: the greeting, or the answer to request `seq`. */
  expect: 'hello' | number;
  resolve(msg: Record<string, unknown>): void;
  reject(err: ScenarioError): void;
}

/**
 * One implementation process at a time, restarted after any failure.
 * Requests are strictly sequential: `run` must not be called again before
 * the previous call settled (the pool gives each adapter one job at a time).
 */
export class ProcessAdapter {
  private child: ChildProcess | undefined;
  private buffer = '';
  private waiter: Waiter | undefined;
  private stderrTail: string[] = [];
  private seq = 0;
  private failedStarts = 0;
  private lastStartFailure = '';
  private greeting: Hello | undefined;
  /** How many children this adapter has spawned (restarts included). */
  spawned = 0;

  constructor(readonly options: ProcessAdapterOptions) {}

  get hello(): Hello | undefined {
    return this.greeting;
  }

  /** Starts the child (if none is running) and returns its greeting. */
  async start(): Promise<Hello> {
    if (this.child && this.greeting) return this.greeting;
    const limit = this.options.maxFailedStarts ?? 3;
    if (this.failedStarts >= limit) {
      throw new ScenarioError(`implementation not restarted after ${limit} failed starts; last: ${this.lastStartFailure}`, 'start');
    }
    try {
      const hello = await this.spawnAndGreet();
      this.failedStarts = 0;
      this.greeting = hello;
      return hello;
    } catch (err) {
      this.failedStarts++;
      this.lastStartFailure = (err as Error).message;
      throw err;
    }
  }

  /** Runs one scenario as Python `python` ("3.11"); rejects with a ScenarioError when it cannot be judged. */
  async run(scenario: Scenario, python: string): Promise<RunResult> {
    const hello = await this.start();
    const seq = ++this.seq;
    let source: string | undefined;
    if (hello.capabilities.includes(PYTHON_SOURCE)) {
      if (!this.options.sourceFor) throw new ScenarioError(`the implementation wants Python source ('${PYTHON_SOURCE}') but no compiler was given`, 'start');
      try {
        source = this.options.sourceFor(scenario, python);
      } catch (err) {
        throw new ScenarioError(`compiling to Python failed: ${(err as Error).message}`, 'implementation');
      }
    }
    const line = `{"type":"run","seq":${seq},"id":${JSON.stringify(scenario.id)},"python":${JSON.stringify(python)},` +
      `"program":${encodeProgram(scenario.program)}${source !== undefined ? `,"source":${JSON.stringify(source)}` : ''}}\n`;
    const answer = await this.request(seq, line, this.options.timeoutMs ?? 10_000, `scenario ${scenario.id}`);
    if (answer.type === 'error') {
      throw new ScenarioError(implementationErrorMessage(answer), 'implementation');
    }
    const { events, outcome, tasks } = answer as unknown as RunResult;
    return { events, outcome, tasks };
  }

  /** Says bye and waits briefly for the child to exit, then kills it. */
  async close(graceMs = 2000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    this.greeting = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      child.stdin?.end('{"type":"bye"}\n');
    } catch {
      // The child may already be gone; the kill below settles it.
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  // -------------------------------------------------------------------------

  private spawnAndGreet(): Promise<Hello> {
    const { command, args = [], cwd, env } = this.options;
    this.buffer = '';
    this.stderrTail = [];
    this.spawned++;
    const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => this.onData(child, chunk));
    child.stderr!.on('data', (chunk: string) => {
      this.stderrTail.push(...chunk.split('\n').filter(Boolean));
      if (this.stderrTail.length > 20) this.stderrTail.splice(0, this.stderrTail.length - 20);
    });
    child.stdin!.on('error', () => { /* EPIPE after a crash: reported through 'exit' */ });
    child.on('error', (err) => this.fail(child, new ScenarioError(`could not start ${command}: ${err.message}`, 'start')));
    child.on('exit', (code, signal) => {
      const how = signal ? `killed by ${signal}` : `exited with status ${code}`;
      this.fail(child, new ScenarioError(`implementation crashed: ${how}${this.stderrSuffix()}`, 'crash'));
    });
    return this.request(0, undefined, this.options.startupTimeoutMs ?? 30_000, 'the hello greeting')
      .then((msg) => msg as unknown as Hello);
  }

  private request(seq: number, line: string | undefined, timeoutMs: number, what: string): Promise<Record<string, unknown>> {
    const child = this.child;
    if (!child) return Promise.reject(new ScenarioError('implementation not running', 'crash'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(child, new ScenarioError(`implementation hung: no answer for ${what} within ${timeoutMs} ms; killed${this.stderrSuffix()}`, 'timeout'));
      }, timeoutMs);
      this.waiter = {
        expect: seq === 0 ? 'hello' : seq,
        resolve: (msg) => { clearTimeout(timer); this.waiter = undefined; resolve(msg); },
        reject: (err) => { clearTimeout(timer); this.waiter = undefined; reject(err); },
      };
      if (line !== undefined) child.stdin!.write(line);
    });
  }

  private onData(child: ChildProcess, chunk: string): void {
    if (child !== this.child) return;
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0 && child === this.child) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      if (line.trim() === '') continue;
      this.onLine(child, line);
    }
  }

  private onLine(child: ChildProcess, line: string): void {
    const garbage = (detail: string) => this.fail(child, new ScenarioError(`protocol violation: ${detail}`, 'garbage'));
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line);
    } catch {
      return garbage(`a line that is not JSON: ${clip(line)}`);
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return garbage(`a line that is not a JSON object: ${clip(line)}`);
    const waiter = this.waiter;
    if (!waiter) return garbage(`an unrequested message: ${clip(line)}`);
    const v = protocolValidators();
    if (waiter.expect === 'hello') {
      if (msg.type !== 'hello') return garbage(`expected a hello greeting first, got ${clip(line)}`);
      if (msg.protocol !== PROTOCOL_VERSION) {
        return this.fail(child, new ScenarioError(
          `wrong protocol version: the implementation speaks protocol ${JSON.stringify(msg.protocol)}, this harness speaks protocol ${PROTOCOL_VERSION}`, 'protocol'));
      }
      if (!v.hello(msg)) return garbage(`invalid hello: ${schemaProblem(v.hello)}`);
      return waiter.resolve(msg);
    }
    if (msg.type !== 'result' && msg.type !== 'error') return garbage(`expected a result or error message, got ${clip(line)}`);
    const kind = msg.type;
    const validate = kind === 'result' ? v.result : v.error;
    if (!validate(msg)) return garbage(`invalid ${kind} message: ${schemaProblem(validate)}`);
    if (msg.seq !== waiter.expect) return garbage(`answer for seq ${String(msg.seq)} while waiting for seq ${waiter.expect}`);
    waiter.resolve(msg);
  }

  /** Fails whatever is in flight with `err` and gets rid of the child; the next run starts a new one. */
  private fail(child: ChildProcess, err: ScenarioError): void {
    if (child !== this.child) return;
    this.child = undefined;
    this.greeting = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    this.waiter?.reject(err);
  }

  private stderrSuffix(): string {
    return this.stderrTail.length ? `; stderr: ${this.stderrTail.slice(-3).join(' | ')}` : '';
  }
}

/** Splits a `process:<cmd>` command line into executable and arguments (whitespace, with '…' and "…" quoting). */
export function parseCommandLine(text: string): { command: string; args: string[] } {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3]);
  if (!words.length) throw new Error('empty process command');
  return { command: words[0], args: words.slice(1) };
}
