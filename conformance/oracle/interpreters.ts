/**
 * The CPython interpreters the oracle runs on, and running scenarios on them.
 *
 * Interpreters come from conformance/python/discovery.ts; each is driven
 * through the process protocol (adapters/process.ts) by the CPython adapter
 * (conformance/python/aiospec_adapter/server.py), launched as
 * conformance/python/cpython.ts says. While those modules are absent, a
 * minimal fallback finds pyenv's interpreters and spawns server.py itself.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Scenario } from '../language/ast';
import type { RunResult } from '../results';
import { ProcessAdapter, type ProcessAdapterOptions } from '../adapters/process';
import { MissingModuleError, ROOT, requireConformance } from '../runner/deps';
import { matches, sortVersions } from '../language/versions';
import { compileToPython } from '../python/compiler';

export interface Interpreter {
  /** `major.minor`, as scenarios' version ranges speak ("3.11"). */
  version: string;
  /** The full version ("3.11.7"). */
  full: string;
  /** The executable. */
  path: string;
}

export const ADAPTER_DIR = path.join(ROOT, 'conformance', 'python', 'aiospec_adapter');

// ---------------------------------------------------------------------------
// Discovery

/** One interpreter per minor version, oldest first. */
export async function availablePythons(): Promise<Interpreter[]> {
  let found: Interpreter[];
  try {
    const mod = requireConformance('python/discovery', 'Interpreter discovery');
    const fn = ['discoverPythons', 'discoverInterpreters', 'findPythons', 'discover'].map((n) => mod[n]).find((f) => typeof f === 'function') as
      | (() => unknown)
      | undefined;
    if (!fn) throw new MissingModuleError('Interpreter discovery', 'python/discovery', 'no discover function');
    found = ((await fn()) as Record<string, unknown>[]).map(normalize);
  } catch (err) {
    if (!(err instanceof MissingModuleError)) throw err;
    found = fallbackDiscovery();
  }
  const byVersion = new Map<string, Interpreter>();
  for (const i of found) if (!byVersion.has(i.version)) byVersion.set(i.version, i);
  return sortVersions(byVersion.keys()).map((v) => byVersion.get(v)!);
}

function normalize(x: Record<string, unknown>): Interpreter {
  const full = String(x.full ?? x.fullVersion ?? x.patch ?? x.version ?? '');
  const m = /^(\d+)\.(\d+)/.exec(String(x.version ?? full));
  const exe = String(x.path ?? x.executable ?? x.command ?? '');
  return { version: m ? `${m[1]}.${m[2]}` : String(x.version), full: /^\d+\.\d+\.\d+/.test(full) ? full : String(x.version), path: exe };
}

/** pyenv's versions and `python3` on PATH, 3.7 and newer. */
export function fallbackDiscovery(): Interpreter[] {
  const candidates: string[] = [];
  const root = process.env.PYENV_ROOT ?? path.join(process.env.HOME ?? '/root', '.pyenv');
  const versions = path.join(root, 'versions');
  if (fs.existsSync(versions)) {
    for (const d of fs.readdirSync(versions)) candidates.push(path.join(versions, d, 'bin', 'python3'));
  }
  candidates.push('python3');
  const out: Interpreter[] = [];
  for (const exe of candidates) {
    const r = spawnSync(exe, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8', timeout: 10000 });
    const full = r.status === 0 ? r.stdout.trim() : '';
    const m = /^(\d+)\.(\d+)\.\d+$/.exec(full);
    if (!m || Number(m[1]) !== 3 || Number(m[2]) < 7) continue;
    out.push({ version: `${m[1]}.${m[2]}`, full, path: exe });
  }
  return out;
}

/** Keeps the interpreters whose version is in `wanted` (all when undefined). */
export function restrict(pythons: Interpreter[], wanted: string[] | undefined): Interpreter[] {
  return wanted ? pythons.filter((p) => wanted.includes(p.version) || wanted.includes(p.full)) : pythons;
}

// ---------------------------------------------------------------------------
// Running

/** What runs scenarios on one interpreter: the process adapter, or the one-shot fallback. */
interface ScenarioRunner {
  run(scenario: Scenario, python: string): Promise<RunResult>;
  close(): Promise<void>;
}

function runnerFor(interp: Interpreter, timeoutMs?: number): ScenarioRunner {
  if (fs.existsSync(path.join(ADAPTER_DIR, 'server.py'))) return cpythonAdapter(interp, timeoutMs);
  return { run: (s) => runOneShot(interp, s, timeoutMs), close: async () => undefined };
}

/** Runs one scenario with run_one.py --json (one process per scenario): for when server.py is absent. */
export function runOneShot(interp: Interpreter, scenario: Scenario, timeoutMs = 20_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(interp.path, [path.join(ADAPTER_DIR, 'run_one.py'), '--json', '--timeout', String(timeoutMs / 1000)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const r = JSON.parse(out.trim().split('\n').pop() ?? '') as RunResult;
        resolve({ events: r.events, outcome: r.outcome, tasks: r.tasks });
      } catch {
        reject(new Error(`run_one.py exited with ${code} and no result; stderr: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      }
    });
    child.stdin.end(compileToPython(scenario));
  });
}

/** The process adapter for one interpreter: cpython.ts's launcher if present, else server.py directly. */
export function cpythonAdapter(interp: Interpreter, timeoutMs = 20_000): ProcessAdapter {
  const base: ProcessAdapterOptions = {
    command: interp.path,
    args: [path.join(ADAPTER_DIR, 'server.py')],
    cwd: ADAPTER_DIR,
    timeoutMs,
    sourceFor: (scenario: Scenario) => compileToPython(scenario),
  };
  try {
    const mod = requireConformance('python/cpython', 'The CPython launcher');
    const launch = ['cpythonLaunch', 'launchOptions', 'cpythonCommand'].map((n) => mod[n]).find((f) => typeof f === 'function') as
      | ((exe: string) => Partial<ProcessAdapterOptions>)
      | undefined;
    if (launch) return new ProcessAdapter({ ...base, ...launch(interp.path), sourceFor: base.sourceFor, timeoutMs });
  } catch (err) {
    if (!(err instanceof MissingModuleError)) throw err;
  }
  return new ProcessAdapter(base);
}

export type RunOutcome = { ok: true; result: RunResult } | { ok: false; reason: string };

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
      const adapter = runnerFor(interp, options.timeoutMs);
      try {
        for (const s of todo) {
          let r: RunOutcome;
          try {
            r = { ok: true, result: await adapter.run(s, interp.version) };
          } catch (err) {
            r = { ok: false, reason: (err as Error).message };
          }
          results.get(s.id)!.set(interp.version, r);
          options.onResult?.(s.id, interp.version, r);
        }
      } finally {
        await adapter.close();
      }
    }),
  );
  return results;
}
