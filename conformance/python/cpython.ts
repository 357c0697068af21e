/**
 * CPython as an aiospec implementation: launches
 * conformance/python/aiospec_adapter/server.py (the NDJSON process adapter,
 * stdlib only) under a discovered interpreter. The generic client
 * (conformance/adapters/process.ts) does the rest: handshake, timeouts,
 * restarts. This module is only configuration.
 *
 * Interpreter flags: `-B` (no .pyc next to the adapter), `-s` (no user site).
 * Environment: every PYTHON* variable of the harness is dropped (a stray
 * PYTHONASYNCIODEBUG or PYTHONWARNINGS would change what the oracle
 * observes); PYTHONHASHSEED=0 makes str/bytes hashing, hence the iteration
 * order of sets of strings, the same on every run; AIOSPEC_TIMEOUT (the
 * adapter's own real-time watchdog per scenario, seconds) is set below the
 * harness's timeout so that a runaway scenario is reported by the adapter
 * (without a process restart) before the harness would kill it.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ProcessAdapterOptions } from '../adapters/process';
import { ROOT } from '../runner/deps';
import { compileToPython } from './compiler';
import { discoverPythons, findPythonInterpreter, probeInterpreter, type PythonInterpreter } from './discovery';

/** Directory of the Python side of the adapter. */
export const ADAPTER_DIR = path.join(ROOT, 'conformance', 'python', 'aiospec_adapter');
/** The virtual-time runtime both adapters and repro scripts load. */
export const VTIME = path.join(ADAPTER_DIR, 'vtime.py');
/** The NDJSON server (`python3 server.py`). */
export const SERVER = path.join(ADAPTER_DIR, 'server.py');
/** The standalone runner (`python3 run_one.py [--json] [FILE]`). */
export const RUN_ONE = path.join(ADAPTER_DIR, 'run_one.py');

export const DEFAULT_TIMEOUT_MS = 10000;

export interface CPythonOptions {
  /** The harness's per-scenario timeout (ms); the adapter's watchdog is set to 80% of it. */
  timeoutMs?: number;
  /** Use this executable instead of discovering one. */
  executable?: string;
}

/** The environment the adapter runs in. */
export function adapterEnv(base: NodeJS.ProcessEnv = process.env, timeoutMs = DEFAULT_TIMEOUT_MS): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!k.startsWith('PYTHON')) env[k] = v;
  env.PYTHONHASHSEED = '0';
  env.PYTHONDONTWRITEBYTECODE = '1';
  env.AIOSPEC_TIMEOUT = String(Math.max(0.5, (timeoutMs * 0.8) / 1000));
  return env;
}

/** Command line that runs `script` of the adapter under `executable`. */
export function adapterCommand(executable: string, script: string = SERVER): { command: string; args: string[] } {
  return { command: executable, args: ['-B', '-s', script] };
}

/**
 * The interpreter for `python` (`3.11`, `3.11.7`), or when absent `python3`
 * on PATH, else the newest installed. Throws when nothing fits.
 */
export function resolveInterpreter(python?: string): PythonInterpreter {
  if (python !== undefined) {
    const found = findPythonInterpreter(python);
    if (!found) {
      const have = discoverPythons().map((p) => p.version);
      throw new Error(
        `no CPython ${python} found (have: ${have.join(', ') || 'none'}); install it with pyenv or list it in AIOSPEC_PYTHONS`,
      );
    }
    return found;
  }
  const onPath = probeInterpreter('python3');
  if (onPath) return onPath;
  const all = discoverPythons();
  if (all.length === 0) throw new Error('no CPython 3.7+ found (PATH, pyenv, AIOSPEC_PYTHONS)');
  return all[all.length - 1];
}

/** What conformance/adapters/process.ts needs to run scenarios on CPython `python`. */
export function processAdapterOptions(python?: string, options: CPythonOptions = {}): ProcessAdapterOptions {
  if (!fs.existsSync(SERVER)) throw new Error(`the CPython adapter is missing: ${SERVER}`);
  const executable = options.executable ?? resolveInterpreter(python).path;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    ...adapterCommand(executable),
    env: adapterEnv(process.env, timeoutMs),
    timeoutMs,
    sourceFor: (scenario) => compileToPython(scenario),
  };
}
