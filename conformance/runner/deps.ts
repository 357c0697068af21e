/**
 * The harness's view of modules other parts of aiospec provide: the scenario
 * loader and version ranges (imported), the interpreter, the reference
 * adapter, the Python compiler and the oracle commands (required on first
 * use, because start-up matters or because a command needing an absent
 * module should fail with a clear message instead of at import time).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Scenario } from '../language/ast';
import type { EventSink, InProcessAdapter } from '../adapters/adapter';
import type { RunResult, TraceEvent } from '../results';
import { formatError, type ScenarioError } from '../language/loader';
import { matches } from '../language/versions';

/** The root of the source tree (holds spec/, conformance/scenarios/, fixtures/). */
export const ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'conformance'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** Compiled modules live beside this file's compiled form (dist/conformance/...). */
const CONFORMANCE_DIST = path.resolve(__dirname, '..');

export class MissingModuleError extends Error {
  constructor(what: string, modulePath: string, detail: string) {
    super(`${what} is not available (${path.relative(process.cwd(), modulePath) || modulePath}: ${detail})`);
    this.name = 'MissingModuleError';
  }
}

/** Requires a module of this project by its path under conformance/, or explains why it cannot. */
export function requireConformance<T = Record<string, unknown>>(rel: string, what: string): T {
  const file = path.join(CONFORMANCE_DIST, rel);
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require(file) as T;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(file)) {
      throw new MissingModuleError(what, file, 'module not built or not written yet');
    }
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Loader (conformance/language/loader.ts) and version ranges (language/versions.ts)

export { loadScenarioFile, type LoadResult as LoadedFile, type ScenarioError as LoadError } from '../language/loader';

/** `file:line:col: [id] message`; the loader's errors name their own file, so `_file` is only kept for callers passing it. */
export function formatLoadError(err: ScenarioError, _file?: string): string {
  return formatError(err);
}

/** Whether Python `version` ("3.11" or "3.11.7") lies in `range` (">=3.8,<3.11"); throws VersionRangeError on a bad range. */
export function versionMatches(range: string, version: string): boolean {
  return matches(range, version);
}

// ---------------------------------------------------------------------------
// Interpreter (conformance/interpreter/interpreter.ts) and reference adapter

/** Runs a scenario's program on an in-process adapter, behaving as `python`. */
export type InterpretFn = (scenario: Scenario, adapter: InProcessAdapter, python: string) => Promise<RunResult>;

export function interpreter(): InterpretFn {
  // Required on first use, not imported: it pulls in the Python compiler, and
  // a run whose scenarios go to workers or processes never needs it on this thread.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { runProgram } = require('../interpreter/interpreter') as typeof import('../interpreter/interpreter');
  return async (scenario, adapter, python) => {
    const events: TraceEvent[] = [];
    const sink: EventSink = { emit: (e) => { events.push(e); } };
    const session = adapter.open(python, sink);
    const outcome = await runProgram(scenario.program, session, sink, { python });
    return { events, outcome, tasks: session.tasks() };
  };
}

export function referenceAdapter(): InProcessAdapter {
  const mod = requireConformance('adapters/reference', 'The reference adapter');
  return instantiateAdapter(mod, 'The reference adapter', 'adapters/reference');
}

/** An in-process adapter from a module: a `createAdapter()`-style factory, an adapter class, or an adapter object. */
export function instantiateAdapter(mod: Record<string, unknown>, what: string, where: string): InProcessAdapter {
  const isAdapter = (x: unknown): x is InProcessAdapter =>
    !!x && typeof (x as InProcessAdapter).open === 'function' && typeof (x as InProcessAdapter).info === 'function';
  for (const [key, value] of Object.entries(mod)) {
    if (isAdapter(value)) return value;
    if (typeof value !== 'function') continue;
    if (/^create.*Adapter$/.test(key)) {
      const made = (value as () => unknown)();
      if (isAdapter(made)) return made;
    }
    if (/Adapter$/.test(key) && value.prototype && typeof value.prototype.open === 'function') {
      return new (value as new () => InProcessAdapter)();
    }
  }
  if (isAdapter((mod as { default?: unknown }).default)) return (mod as { default: InProcessAdapter }).default;
  throw new MissingModuleError(what, where, 'exports no InProcessAdapter, adapter class or create...Adapter() factory');
}

// ---------------------------------------------------------------------------
// Python side (conformance/python/) and oracle (conformance/oracle/)

/** `compileToPython(scenario)`, loaded on first use: commands that never compile start without it. */
export function pythonCompiler(): (scenario: Scenario) => string {
  return (require('../python/compiler') as typeof import('../python/compiler')).compileToPython;
}
