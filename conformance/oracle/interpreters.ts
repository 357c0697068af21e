/**
 * The CPython interpreters the oracle runs on, and running scenarios on them.
 *
 * Interpreters come from conformance/python/discovery.ts (pyenv, PATH,
 * AIOSPEC_PYTHONS); each is driven through the process protocol
 * (adapters/process.ts) by the CPython adapter, launched as
 * conformance/python/cpython.ts configures it (server.py, a clean
 * environment, a fork per scenario).
 */
import * as path from 'path';
import type { Scenario } from '../language/ast';
import { listFlag, loadCorpus, parseArgs, selectScenarios } from './corpus';
import type { RunResult } from '../results';
import { ProcessAdapter } from '../adapters/process';
import { matches, sortVersions } from '../language/versions';
import { discoverPythons } from '../python/discovery';
import { processAdapterOptions } from '../python/cpython';
import { installedPyodides, processAdapterOptions as pyodideAdapterOptions } from '../python/pyodide';
import { majorMinor } from '../runner/impls';

export { ADAPTER_DIR } from '../python/cpython';

export interface Interpreter {
  /** `major.minor`, as scenarios' version ranges speak ("3.11"). */
  version: string;
  /** The full version ("3.11.7"). */
  full: string;
  /** The executable, or `pyodide:<npm alias>` for a Pyodide release. */
  path: string;
  /** A native CPython build, or CPython compiled to WebAssembly by Pyodide (no threads). */
  kind?: 'cpython' | 'pyodide';
}

/**
 * One interpreter per minor version (the newest patch level found), oldest
 * first. A minor version with no native CPython on this machine is served by
 * an installed Pyodide release shipping that version: Pyodide is CPython
 * itself, built for WebAssembly, so it is a genuine oracle for everything it
 * can run (it has no threads; scenarios needing them stay unconfirmed there).
 */
export async function availablePythons(): Promise<Interpreter[]> {
  const byVersion = new Map<string, Interpreter>();
  for (const r of installedPyodides()) {
    const minor = majorMinor(r.python);
    byVersion.set(minor, { version: minor, full: r.python, path: `pyodide:${r.alias}`, kind: 'pyodide' });
  }
  for (const p of discoverPythons()) byVersion.set(p.minor, { version: p.minor, full: p.version, path: p.path, kind: 'cpython' });
  return sortVersions(byVersion.keys()).map((v) => byVersion.get(v)!);
}

/** Keeps the interpreters whose version is in `wanted` (all when undefined). */
export function restrict(pythons: Interpreter[], wanted: string[] | undefined): Interpreter[] {
  return wanted ? pythons.filter((p) => wanted.includes(p.version) || wanted.includes(p.full)) : pythons;
}

/** The process adapter running scenarios on one interpreter. */
export function cpythonAdapter(interp: Interpreter, timeoutMs = 20_000): ProcessAdapter {
  if (interp.kind === 'pyodide') return new ProcessAdapter(pyodideAdapterOptions(interp.full, { timeoutMs }));
  return new ProcessAdapter(processAdapterOptions(interp.version, { executable: interp.path, timeoutMs }));
}

/** `unsupported`: the interpreter lacks a capability the scenario requires (Pyodide has no threads), so nothing is confirmed there. */
export type RunOutcome = { ok: true; result: RunResult } | { ok: false; reason: string; unsupported?: boolean };

/** Results of scenario id → Python version ("3.11") → what happened. */
export type Results = Map<string, Map<string, RunOutcome>>;

/**
 * Runs each scenario on every interpreter whose version lies in the
 * scenario's range: the interpreters in parallel, the scenarios of one
 * interpreter one after another (each in a fresh forked child).
 */
export async function runOnPythons(
  scenarios: Scenario[],
  pythons: Interpreter[],
  options: { timeoutMs?: number; onResult?: (id: string, version: string, r: RunOutcome) => void } = {},
): Promise<Results> {
  const results: Results = new Map(scenarios.map((s) => [s.id, new Map()]));
  await Promise.all(
    pythons.map(async (interp) => {
      const todo = scenarios.filter((s) => matches(s.python, interp.version));
      if (todo.length === 0) return;
      let adapter: ProcessAdapter | undefined;
      try {
        let capabilities: Set<string>;
        try {
          // Inside the try: an adapter that cannot even be configured (a
          // missing interpreter or Pyodide release) fails this interpreter's
          // scenarios, not Promise.all and with it every other's results.
          adapter = cpythonAdapter(interp, options.timeoutMs);
          capabilities = new Set((await adapter.start()).capabilities);
        } catch (err) {
          for (const s of todo) {
            const r: RunOutcome = { ok: false, reason: `${interp.full} did not start: ${(err as Error).message}` };
            results.get(s.id)!.set(interp.version, r);
            options.onResult?.(s.id, interp.version, r);
          }
          return;
        }
        for (const s of todo) {
          let r: RunOutcome;
          const missing = (s.requires ?? []).filter((c) => !capabilities.has(c));
          if (missing.length > 0) {
            // Not a result: the interpreter cannot run it, so nothing is confirmed or changed.
            r = { ok: false, unsupported: true, reason: `${interp.kind ?? 'cpython'} ${interp.full} lacks ${missing.join(', ')}` };
            results.get(s.id)!.set(interp.version, r);
            options.onResult?.(s.id, interp.version, r);
            continue;
          }
          try {
            r = { ok: true, result: await adapter!.run(s, interp.version) };
          } catch (err) {
            r = { ok: false, reason: (err as Error).message };
          }
          results.get(s.id)!.set(interp.version, r);
          options.onResult?.(s.id, interp.version, r);
        }
      } finally {
        await adapter?.close();
      }
    }),
  );
  return results;
}

/** What validate and matrix share: the selected scenarios and their results on the available Pythons. */
export interface OracleRun {
  words: string[];
  corpusErrors: string[];
  unmatched: string[];
  scenarios: Scenario[];
  pythons: Interpreter[];
  results: Results;
}

/**
 * Parses `[ID|GLOB|FILE ...] [--python 3.11,3.12] [--timeout MS] [--dir DIR]`,
 * loads and selects scenarios, and runs them on every available interpreter.
 * Returns an exit code instead when there is nothing to do (help, no interpreter).
 */
export async function oracleRun(args: string[], usage: string): Promise<OracleRun | number> {
  const { words, flags } = parseArgs(args, ['python', 'timeout', 'dir', 'out']);
  if (flags.has('help')) {
    console.log(usage);
    return 0;
  }
  const corpus = loadCorpus(typeof flags.get('dir') === 'string' ? path.resolve(flags.get('dir') as string) : undefined);
  for (const e of corpus.errors) console.error(`load error: ${e}`);
  const { selected, unmatched } = selectScenarios(corpus.scenarios, words);
  for (const p of unmatched) console.error(`no scenario matches ${JSON.stringify(p)}`);
  const pythons = restrict(await availablePythons(), listFlag(flags.get('python')));
  if (pythons.length === 0) {
    console.error('no CPython interpreter available (see `aiospec pythons`)');
    return 2;
  }
  const scenarios = selected.map((s) => s.scenario);
  const results = await runOnPythons(scenarios, pythons, { timeoutMs: Number(flags.get('timeout') ?? 20_000) });
  return { words, corpusErrors: corpus.errors, unmatched, scenarios, pythons, results };
}
