/**
 * From an implementation name to a running Executor.
 *
 * Names (the CLI's --impl): `reference`; `cpython` and `pyodide` (process
 * adapters set up by conformance/python/<name>.ts, which exports
 * `processAdapterOptions(python?: string)`); `process:<command line>` (any
 * implementation speaking the process protocol); `module:<path>` (a JS
 * module exporting an in-process adapter). The programmatic API also
 * accepts an adapter object or process options directly.
 */
import * as path from 'path';
import type { InProcessAdapter } from '../adapters/adapter';
import { parseCommandLine, type ProcessAdapterOptions } from '../adapters/process';
import { type InterpretFn, instantiateAdapter, pythonCompiler, referenceAdapter, requireConformance } from './deps';
import { UsageError } from './types';
import { DirectExecutor, ProcessExecutor, WorkerExecutor, infoOf, type Executor, type WorkerAdapterSpec } from './executor';

export type ImplSpec =
  | string
  /** An adapter object, run on this thread; `interpret` replaces the harness's interpreter (tests, custom front ends). */
  | { adapter: InProcessAdapter; label?: string; interpret?: InterpretFn }
  | { process: ProcessAdapterOptions; label?: string };

export interface ExecutorOptions {
  /** "3.11"; undefined: the implementation's default. */
  python?: string;
  jobs?: number;
  timeoutMs?: number;
}

export { UsageError } from './types';

/**
 * One Python version of a run could not be started (the implementation
 * cannot be that version, or its interpreter is missing). A usage error when
 * it is the only version asked; in a matrix, runMatrix reports that version
 * all-errored and goes on with the others.
 */
export class StartError extends UsageError {
  constructor(readonly python: string | undefined, message: string) {
    super(message);
    this.name = 'StartError';
  }
}

export function majorMinor(version: string): string {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m ? `${m[1]}.${m[2]}` : version;
}

/** The default Python of an in-process implementation: 3.10 (the docs page's edition) when it has it, else its newest. */
export function defaultPython(pythons: readonly string[]): string {
  return pythons.includes('3.10') ? '3.10' : pythons[pythons.length - 1];
}

export function implLabel(impl: ImplSpec): string {
  if (typeof impl === 'string') return impl;
  if ('adapter' in impl) return impl.label ?? impl.adapter.info().name;
  return impl.label ?? [impl.process.command, ...(impl.process.args ?? [])].join(' ');
}

/** Starts an executor for `impl` as Python `opts.python`. */
export async function startExecutor(impl: ImplSpec, opts: ExecutorOptions = {}): Promise<Executor> {
  const jobs = Math.max(1, opts.jobs ?? 1);
  if (typeof impl !== 'string') {
    if ('adapter' in impl) return new DirectExecutor(impl.adapter, checkPython(impl.adapter, opts.python), opts.timeoutMs, impl.interpret);
    return startProcess({ ...impl.process, timeoutMs: opts.timeoutMs ?? impl.process.timeoutMs }, jobs, opts.python);
  }
  if (impl === 'reference' || impl.startsWith('module:')) {
    const spec: WorkerAdapterSpec = impl === 'reference' ? { kind: 'reference' } : { kind: 'module', path: path.resolve(impl.slice('module:'.length)) };
    const adapter = spec.kind === 'reference' ? referenceAdapter() : instantiateAdapter(require(spec.path), 'The adapter module', spec.path);
    const python = checkPython(adapter, opts.python);
    // Always in workers, even one: only a worker can be terminated when a
    // scenario spins synchronously for ever, so --timeout holds at --jobs 1 too.
    return new WorkerExecutor(infoOf(adapter, python), spec, jobs, opts.timeoutMs);
  }
  if (impl.startsWith('process:')) {
    return startProcess({ ...parseCommandLine(impl.slice('process:'.length)), timeoutMs: opts.timeoutMs, sourceFor: lazyCompiler() }, jobs, opts.python);
  }
  if (impl === 'cpython' || impl === 'pyodide') {
    const options = await pythonProcessOptions(impl, opts.python);
    return startProcess({ ...options, timeoutMs: opts.timeoutMs ?? options.timeoutMs }, jobs, opts.python);
  }
  throw new UsageError(`unknown implementation ${JSON.stringify(impl)}: use reference, cpython, pyodide, process:<command> or module:<path>`);
}

function checkPython(adapter: InProcessAdapter, python: string | undefined): string {
  const pythons = adapter.info().pythons;
  if (python === undefined) return defaultPython(pythons);
  const want = majorMinor(python);
  if (!pythons.includes(want)) throw new StartError(python, `${adapter.info().name} cannot behave as Python ${python} (it has ${pythons.join(', ')})`);
  return want;
}

/**
 * Checks, before anything runs, that an in-process implementation can be
 * every version asked (its adapter says which it has), so that a typo in the
 * last version of a list does not cost the runs before it. Other
 * implementations only know once started: see runMatrix.
 */
export function checkPythons(impl: ImplSpec, pythons: readonly (string | undefined)[]): void {
  let adapter: InProcessAdapter | undefined;
  if (typeof impl !== 'string') adapter = 'adapter' in impl ? impl.adapter : undefined;
  else if (impl === 'reference') adapter = referenceAdapter();
  else if (impl.startsWith('module:')) {
    const file = path.resolve(impl.slice('module:'.length));
    adapter = instantiateAdapter(require(file), 'The adapter module', file);
  }
  if (!adapter) return;
  const have = adapter.info().pythons;
  const bad = pythons.filter((p): p is string => p !== undefined && !have.includes(majorMinor(p)));
  if (bad.length) {
    throw new UsageError(`${adapter.info().name} cannot behave as Python ${bad.join(', ')} (it has ${have.join(', ')})`);
  }
}

async function startProcess(options: ProcessAdapterOptions, jobs: number, python: string | undefined): Promise<Executor> {
  const ex = await ProcessExecutor.start(options, jobs);
  if (python !== undefined && ex.info.python !== 'unknown' && majorMinor(ex.info.python) !== majorMinor(python)) {
    await ex.close();
    throw new StartError(python, `${ex.info.name} is Python ${ex.info.python}, not ${python}`);
  }
  return ex;
}

/** The compiler, required only when a process asks for Python source. */
function lazyCompiler(): ProcessAdapterOptions['sourceFor'] {
  let compile: ReturnType<typeof pythonCompiler> | undefined;
  return (scenario) => (compile ??= pythonCompiler())(scenario);
}

// ---------------------------------------------------------------------------
// CPython and Pyodide

async function pythonProcessOptions(name: 'cpython' | 'pyodide', python: string | undefined): Promise<ProcessAdapterOptions> {
  const mod = requireConformance<{ processAdapterOptions?: (python?: string) => ProcessAdapterOptions | Promise<ProcessAdapterOptions> }>(`python/${name}`, `The ${name} adapter`);
  if (typeof mod.processAdapterOptions !== 'function') {
    throw new UsageError(`the ${name} adapter (conformance/python/${name}.ts) exports no processAdapterOptions(python)`);
  }
  try {
    return await mod.processAdapterOptions(python);
  } catch (err) {
    throw new StartError(python, `cannot set up ${name}${python ? ` ${python}` : ''}: ${(err as Error).message}`);
  }
}
