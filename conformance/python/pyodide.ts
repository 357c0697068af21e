/**
 * Pyodide (CPython compiled to WebAssembly) as an aiospec implementation.
 *
 * Pyodide releases come from npm under aliases, one per line of releases,
 * e.g. `npm install pyodide-0.27@npm:pyodide@0.27.7` (see PYODIDE_RELEASES).
 * Each runs in its own child process: `node dist/conformance/python/pyodide.js
 * --serve <alias>`, which loads that release, installs the same virtual-time
 * runtime as the CPython adapter (aiospec_adapter/vtime.py: the virtual loop
 * replaces Pyodide's WebLoop through the event loop policy) and speaks the
 * process protocol (NDJSON) on stdin/stdout.
 *
 * Differences from the CPython adapter, stated once:
 * - No fork: every scenario runs in the same interpreter
 *   (vtime.run_in_process), with the adapter's globals reset around it.
 *   CPython's C Task-N counter cannot be reset, so unnamed tasks created
 *   through the virtual loop get explicit names from a per-scenario counter
 *   (the same names a fresh CPython gives them).
 * - No threads: the capabilities threads and to-thread are not declared
 *   (vtime.capabilities(threads=False)). Everything else is, as on CPython,
 *   whatever the release's Python version: versions are not capabilities.
 * - Aliases are resolved from this project's node_modules, then from the
 *   directories listed in AIOSPEC_PYODIDE_PATHS.
 * - PYTHONHASHSEED=0 reaches Python through loadPyodide's `env`, which
 *   releases before 0.24 lack (see acceptsEnv): hash randomization stays on there.
 * - No real-time watchdog inside the process: a runaway scenario is stopped
 *   by the harness's timeout, which restarts the process.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import * as util from 'util';
import type { ProcessAdapterOptions } from '../adapters/process';
import { ROOT } from '../runner/deps';
import { compileToPython } from './compiler';
import { VTIME } from './cpython';
import { majorMinor } from '../runner/impls';

export interface PyodideRelease {
  /** npm alias the release is installed under (`pyodide-0.27`). */
  alias: string;
  /** The npm version installed under that alias. */
  npm: string;
  /** The CPython version that release ships. */
  python: string;
}

/**
 * The releases aiospec knows, newest of each CPython minor version (0.21 is
 * the oldest Pyodide with binaries on npm; it ships a pure-Python Task).
 */
export const PYODIDE_RELEASES: readonly PyodideRelease[] = [
  { alias: 'pyodide-0.21', npm: '0.21.3', python: '3.10.2' },
  { alias: 'pyodide-0.23', npm: '0.23.4', python: '3.11.2' },
  { alias: 'pyodide-0.25', npm: '0.25.1', python: '3.11.3' },
  { alias: 'pyodide-0.26', npm: '0.26.4', python: '3.12.1' },
  { alias: 'pyodide-0.27', npm: '0.27.7', python: '3.12.7' },
  { alias: 'pyodide-0.28', npm: '0.28.3', python: '3.13.2' },
  { alias: 'pyodide-0.29', npm: '0.29.3', python: '3.13.2' },
  { alias: 'pyodide-314', npm: '314.0.7', python: '3.14.2' },
];

/**
 * Whether loadPyodide() of this npm version takes `env` (added in 0.24.0).
 * Older releases start Python with hash randomization on and no way to turn
 * it off, so the iteration order of a set of strings may vary between runs.
 */
export function acceptsEnv(npmVersion: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(npmVersion);
  return !!m && (Number(m[1]) > 0 || Number(m[2]) >= 24);
}

/** `npm install` line for the given releases (default: all of them). */
export function npmInstallLine(releases: readonly PyodideRelease[] = PYODIDE_RELEASES): string {
  return `npm install --save-optional ${releases.map((r) => `${r.alias}@npm:pyodide@${r.npm}`).join(' ')}`;
}

/** Where aliases are resolved from: this project, then AIOSPEC_PYODIDE_PATHS (directories holding a node_modules). */
function searchRoots(): string[] {
  const extra = (process.env.AIOSPEC_PYODIDE_PATHS ?? '').split(path.delimiter).filter(Boolean);
  return [ROOT, ...extra];
}

function resolveAlias(alias: string): string | undefined {
  for (const root of searchRoots()) {
    try {
      return path.dirname(require.resolve(`${alias}/package.json`, { paths: [root] }));
    } catch {
      // not under this root
    }
  }
  return undefined;
}

/** The releases installed (as aliases) in this project's node_modules, with their installed npm version. */
export function installedPyodides(): PyodideRelease[] {
  const found: PyodideRelease[] = [];
  const known = new Map(PYODIDE_RELEASES.map((r) => [r.alias, r]));
  const names = new Set<string>(known.keys());
  for (const root of searchRoots()) {
    try {
      for (const n of fs.readdirSync(path.join(root, 'node_modules'))) if (/^pyodide-[0-9]/.test(n)) names.add(n);
    } catch {
      // no node_modules
    }
  }
  for (const alias of names) {
    const dir = resolveAlias(alias);
    if (!dir) continue;
    let version = '';
    try {
      version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version ?? '';
    } catch {
      continue;
    }
    const rel = known.get(alias);
    const python = rel && rel.npm === version ? rel.python : pythonOfRelease(version);
    if (python) found.push({ alias, npm: version, python });
  }
  return found.sort((a, b) => (a.python === b.python ? a.npm.localeCompare(b.npm, undefined, { numeric: true }) : a.python.localeCompare(b.python, undefined, { numeric: true })));
}

/** CPython version of a Pyodide npm version, from the release line (exact for the known ones). */
export function pythonOfRelease(npmVersion: string): string | undefined {
  const exact = PYODIDE_RELEASES.find((r) => r.npm === npmVersion);
  if (exact) return exact.python;
  const m = /^(\d+)\.(\d+)/.exec(npmVersion);
  if (!m) return undefined;
  const [maj, min] = [Number(m[1]), Number(m[2])];
  if (maj >= 300) return `3.${maj - 300}`;
  if (maj !== 0) return undefined;
  if (min <= 20) return undefined;
  if (min <= 22) return '3.10';
  if (min <= 25) return '3.11';
  if (min <= 27) return '3.12';
  return '3.13';
}

/** The process adapter for Pyodide behaving as `python` (default: the newest installed). */
export function processAdapterOptions(python?: string, options: { timeoutMs?: number } = {}): ProcessAdapterOptions {
  const installed = installedPyodides();
  const candidates = python === undefined ? installed : installed.filter((r) => majorMinor(r.python) === majorMinor(python));
  const pick = candidates[candidates.length - 1];
  if (!pick) {
    const want = python === undefined ? PYODIDE_RELEASES : PYODIDE_RELEASES.filter((r) => majorMinor(r.python) === majorMinor(python));
    throw new Error(
      `no Pyodide release ${python ? `for Python ${python} ` : ''}is installed; install with: ${npmInstallLine(want.length ? want.slice(-1) : PYODIDE_RELEASES)}`,
    );
  }
  return {
    command: process.execPath,
    args: [__filename, '--serve', pick.alias],
    timeoutMs: options.timeoutMs ?? 10000,
    startupTimeoutMs: 60000,
    sourceFor: (scenario) => compileToPython(scenario),
  };
}

// ---------------------------------------------------------------------------
// The child process

const PYTHON_SETUP = `
import json, sys, platform
sys.path.insert(0, '/aiospec')
import vtime, gc
vtime.install()
# Everything loaded so far lives for ever: move it out of the collector's
# sight, so the gc.collect() calls around each scenario only walk the
# scenario's own objects (about 13 ms each otherwise, 0.6 ms with this).
gc.freeze()

def _aiospec_hello(pyodide_version):
    # The same list as the CPython server, less what needs a real thread.
    caps = vtime.capabilities(threads=False)
    return json.dumps({'type': 'hello', 'protocol': 1,
                       'implementation': {'name': 'pyodide', 'version': pyodide_version},
                       'python': platform.python_version(), 'capabilities': caps})

def _aiospec_run(source):
    return json.dumps(vtime.run_in_process(source))
`;

async function serve(alias: string): Promise<void> {
  const write = (msg: unknown) => process.stdout.write(JSON.stringify(msg) + '\n');
  // Nothing but protocol messages on stdout: Pyodide and its loader log with console.*.
  const toStderr = (...a: unknown[]) => process.stderr.write(util.format(...a) + '\n');
  console.log = console.info = console.warn = console.debug = toStderr;
  const dir = resolveAlias(alias);
  if (!dir) throw new Error(`${alias} is not installed; install with: ${npmInstallLine(PYODIDE_RELEASES.filter((r) => r.alias === alias))}`);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { loadPyodide } = require(dir) as { loadPyodide: (o: Record<string, unknown>) => Promise<any> };
  // The interpreter's environment is loadPyodide's `env`, not this process's:
  // PYTHONHASHSEED=0 makes the iteration order of sets of strings the same on
  // every run, as under the CPython adapter. Releases before 0.24 ignore it.
  const py = await loadPyodide({
    env: { PYTHONHASHSEED: '0' },
    stdout: (s: string) => toStderr(s),
    stderr: (s: string) => toStderr(s),
  });
  py.FS.mkdirTree('/aiospec');
  py.FS.writeFile('/aiospec/vtime.py', fs.readFileSync(VTIME, 'utf8'));
  py.runPython(PYTHON_SETUP);
  const hello = py.globals.get('_aiospec_hello');
  const run = py.globals.get('_aiospec_run');
  write(JSON.parse(hello(String(py.version))));
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let req: any;
    try {
      req = JSON.parse(line);
    } catch (e) {
      write({ type: 'error', seq: 0, message: `unreadable request: ${(e as Error).message}` });
      continue;
    }
    if (req.type === 'bye') break;
    const seq = Number.isInteger(req.seq) && req.seq > 0 ? req.seq : 1;
    if (req.type !== 'run') {
      write({ type: 'error', seq, message: `unknown request type ${JSON.stringify(req.type)}` });
      continue;
    }
    if (typeof req.source !== 'string') {
      write({ type: 'error', seq, message: "this adapter runs Python source: the request has no 'source' (capability 'python-source')" });
      continue;
    }
    try {
      const result = JSON.parse(run(req.source));
      write({ type: 'result', seq, events: result.events, outcome: result.outcome, tasks: result.tasks });
    } catch (e) {
      write({ type: 'error', seq, message: 'the adapter failed to run the scenario', detail: String((e as Error).message ?? e) });
    }
  }
  process.exit(0);
}

if (require.main === module) {
  const i = process.argv.indexOf('--serve');
  const alias = i >= 0 ? process.argv[i + 1] : undefined;
  if (!alias) {
    process.stderr.write('usage: node pyodide.js --serve <alias>   (installed: ' + installedPyodides().map((r) => `${r.alias}=${r.npm} (Python ${r.python})`).join(', ') + ')\n');
    process.exit(2);
  }
  serve(alias).catch((e) => {
    process.stderr.write(`aiospec pyodide adapter: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
