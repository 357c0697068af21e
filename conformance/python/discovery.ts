/**
 * Finding CPython interpreters to run the oracle on.
 *
 * Candidates, in order of preference when two report the same version:
 * 1. `AIOSPEC_PYTHONS`: a list of interpreter executables separated by the
 *    platform's path delimiter (`:` on POSIX);
 * 2. pyenv: `$(pyenv root)/versions/<v>/bin/python3` (`PYENV_ROOT` or
 *    `~/.pyenv` when the `pyenv` command is absent);
 * 3. `python3.X` and `python3` on PATH.
 *
 * Every candidate is asked for its version (`platform.python_version()`),
 * so a broken or foreign binary is skipped rather than trusted by its name.
 * Only CPython 3.7 and later count (the adapter needs contextvars). The
 * result holds one interpreter per minor version, the newest patch, sorted
 * by version.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface PythonInterpreter {
  /** Full version, e.g. `3.11.7` (may carry a pre-release tag: `3.14.0rc1`). */
  version: string;
  /** `3.11` */
  minor: string;
  /** Absolute path of the executable. */
  path: string;
}

export interface DiscoveryOptions {
  /** Environment to read AIOSPEC_PYTHONS, PATH, PYENV_ROOT, HOME from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Skip pyenv. */
  noPyenv?: boolean;
  /** Skip PATH. */
  noPath?: boolean;
  /** Oldest minor version to accept. Default 7 (3.7). */
  minMinor?: number;
}

const PROBE = 'import platform,sys;print(platform.python_implementation(), platform.python_version())';

/** Parsed version for ordering: [major, minor, patch, pre-release rank, pre-release number]. */
function versionKey(v: string): number[] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:(a|b|rc)(\d+))?/.exec(v);
  if (!m) return [0, 0, 0, 0, 0];
  const pre = m[4] === undefined ? 3 : { a: 0, b: 1, rc: 2 }[m[4] as 'a' | 'b' | 'rc'];
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), pre, Number(m[5] ?? 0)];
}

/** Orders version strings (`3.9.18` < `3.10.0rc1` < `3.10.13`). */
export function compareVersions(a: string, b: string): number {
  const ka = versionKey(a);
  const kb = versionKey(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
  return 0;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function pyenvRoot(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const root = execFileSync('pyenv', ['root'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'], timeout: 10000 }).trim();
    if (root) return root;
  } catch {
    // no pyenv command
  }
  if (env.PYENV_ROOT) return env.PYENV_ROOT;
  const home = env.HOME || os.homedir();
  const guess = path.join(home, '.pyenv');
  return fs.existsSync(guess) ? guess : undefined;
}

/** Candidate executables, most preferred first, without duplicates (by real path). */
export function candidatePaths(options: DiscoveryOptions = {}): string[] {
  const env = options.env ?? process.env;
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    if (!p || !isExecutable(p)) return;
    let real = p;
    try {
      real = fs.realpathSync(p);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    out.push(path.resolve(p));
  };
  for (const p of (env.AIOSPEC_PYTHONS ?? '').split(path.delimiter)) add(p.trim());
  if (!options.noPyenv) {
    const root = pyenvRoot(env);
    if (root) {
      const dir = path.join(root, 'versions');
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir);
      } catch {
        names = [];
      }
      for (const n of names.sort((a, b) => compareVersions(b, a))) add(path.join(dir, n, 'bin', 'python3'));
    }
  }
  if (!options.noPath) {
    const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
    const names: string[] = [];
    for (let minor = 30; minor >= 7; minor--) names.push(`python3.${minor}`);
    names.push('python3');
    for (const n of names) for (const d of dirs) add(path.join(d, n));
  }
  return out;
}

/** Asks one executable for its version; undefined when it is not a usable CPython. */
export function probeInterpreter(executable: string, minMinor = 7): PythonInterpreter | undefined {
  let text: string;
  try {
    text = execFileSync(executable, ['-E', '-s', '-c', PROBE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15000 }).trim();
  } catch {
    return undefined;
  }
  const [impl, version] = text.split(/\s+/);
  if (impl !== 'CPython' || !version) return undefined;
  const [maj, min] = versionKey(version);
  if (maj !== 3 || min < minMinor) return undefined;
  return { version, minor: `${maj}.${min}`, path: executable };
}

let cache: PythonInterpreter[] | undefined;

/**
 * Installed CPython interpreters: one per minor version (newest patch),
 * sorted oldest first. Cached per process when called without options.
 */
export function discoverPythons(options?: DiscoveryOptions): PythonInterpreter[] {
  if (options === undefined && cache) return cache.slice();
  const best = new Map<string, PythonInterpreter>();
  for (const p of candidatePaths(options)) {
    const found = probeInterpreter(p, options?.minMinor ?? 7);
    if (!found) continue;
    const prev = best.get(found.minor);
    if (!prev || compareVersions(found.version, prev.version) > 0) best.set(found.minor, found);
  }
  const list = [...best.values()].sort((a, b) => compareVersions(a.version, b.version));
  if (options === undefined) cache = list;
  return list.slice();
}

/** The interpreter for `python` (`3.11` or `3.11.7`), or undefined when none is installed. */
export function findPythonInterpreter(python: string, options?: DiscoveryOptions): PythonInterpreter | undefined {
  const [maj, min] = versionKey(python);
  const minor = `${maj}.${min}`;
  const found = discoverPythons(options).find((p) => p.minor === minor);
  if (!found) return undefined;
  if (/^\d+\.\d+\.\d+/.test(python) && found.version !== python) return undefined;
  return found;
}
