/**
 * The harness's narrow view of modules other parts of aiospec provide: the
 * scenario loader, version ranges, the interpreter, the reference adapter,
 * the Python compiler and the oracle commands.
 *
 * Each is required lazily, by the name and shape this file states, so that
 * the runner builds and its tests run while those modules are being written,
 * and so that a command needing an absent module fails with a clear message
 * instead of at import time. Every shape the runner relies on is here, once.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Scenario } from '../language/ast';
import type { EventSink, InProcessAdapter, Session } from '../adapters/adapter';
import type { Outcome, RunResult, TraceEvent } from '../results';

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

function pick<F>(mod: Record<string, unknown>, names: string[], what: string, rel: string): F {
  for (const n of names) if (typeof mod[n] === 'function') return mod[n] as F;
  throw new MissingModuleError(what, path.join(CONFORMANCE_DIST, rel), `exports none of ${names.join(', ')}`);
}

// ---------------------------------------------------------------------------
// Loader (conformance/language/loader.ts)

/** A problem found while loading a scenario file; the loader's own error objects are shown with `formatLoadError`. */
export type LoadError = unknown;

export interface LoadedFile {
  scenarios: Scenario[];
  errors: LoadError[];
}

export function loadScenarioFile(file: string): LoadedFile {
  const mod = requireConformance('language/loader', 'The scenario loader');
  const fn = pick<(p: string) => LoadedFile | Scenario[]>(mod, ['loadScenarioFile'], 'The scenario loader', 'language/loader');
  const out = fn(file);
  if (Array.isArray(out)) return { scenarios: out, errors: [] };
  return { scenarios: out.scenarios ?? [], errors: out.errors ?? [] };
}

export function formatLoadError(err: LoadError, file?: string): string {
  if (err instanceof Error) return err.message;
  const mod = requireConformance('language/loader', 'The scenario loader');
  if (typeof mod.formatError === 'function' && err && typeof err === 'object' && 'line' in err) {
    return (mod.formatError as (e: unknown) => string)(err);
  }
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    const where = [e.file ?? e.path ?? file, e.line, e.column ?? e.col].filter((x) => x !== undefined && x !== null).join(':');
    const msg = e.message ?? e.msg ?? JSON.stringify(err);
    return where ? `${where}: ${String(msg)}` : String(msg);
  }
  return String(err);
}

// ---------------------------------------------------------------------------
// Version ranges (conformance/language/versions.ts)

let matchesImpl: ((range: string, version: string) => boolean) | undefined;

/** Whether Python `version` ("3.11" or "3.11.7") lies in `range` (">=3.8,<3.11"). */
export function versionMatches(range: string, version: string): boolean {
  if (!matchesImpl) {
    try {
      const mod = requireConformance('language/versions', 'Version ranges');
      matchesImpl = pick(mod, ['matches'], 'Version ranges', 'language/versions');
    } catch (err) {
      if (!(err instanceof MissingModuleError)) throw err;
      matchesImpl = fallbackMatches;
    }
  }
  return matchesImpl!(range, version);
}

/** Used only while language/versions.ts is absent: comma-separated comparators on dotted numbers. */
export function fallbackMatches(range: string, version: string): boolean {
  const v = version.split('.').map(Number);
  return range.split(',').map((s) => s.trim()).filter(Boolean).every((clause) => {
    if (clause === '*') return true;
    const m = /^(>=|<=|==|!=|>|<)?\s*([\d.]+)$/.exec(clause);
    if (!m) throw new Error(`bad version range ${JSON.stringify(range)}`);
    const want = m[2].split('.').map(Number);
    const have = v.slice(0, m[1] === '==' || m[1] === '!=' || !m[1] ? want.length : v.length);
    let c = 0;
    for (let i = 0; i < Math.max(want.length, have.length) && c === 0; i++) c = (have[i] ?? 0) - (want[i] ?? 0);
    switch (m[1] ?? '==') {
      case '>=': return c >= 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '<': return c < 0;
      case '!=': return c !== 0;
      default: return c === 0;
    }
  });
}

// ---------------------------------------------------------------------------
// Interpreter (conformance/interpreter/interpreter.ts) and reference adapter

/** Runs a scenario's program on an in-process adapter, behaving as `python`. */
export type InterpretFn = (scenario: Scenario, adapter: InProcessAdapter, python: string) => Promise<RunResult>;

export function interpreter(): InterpretFn {
  const mod = requireConformance('interpreter/interpreter', 'The scenario interpreter');
  type RunProgram = (program: unknown, session: Session, sink: EventSink, options: { python: string }) => Promise<Outcome>;
  const runProgram = pick<RunProgram>(mod, ['runProgram'], 'The scenario interpreter', 'interpreter/interpreter');
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

/** `compileToPython(scenario, python?)`: the scenario as a standalone Python program. */
export function pythonCompiler(): (scenario: Scenario, python: string) => string {
  const mod = requireConformance('python/compiler', 'The Python compiler');
  const fn = pick<(s: Scenario, python?: string) => string>(mod, ['compileToPython', 'compileScenario', 'compile'], 'The Python compiler', 'python/compiler');
  return (s, python) => fn(s, python);
}
