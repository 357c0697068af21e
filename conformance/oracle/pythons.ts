/**
 * `aiospec pythons`: the CPython interpreters the oracle will use.
 *
 * CLI wiring (conformance/cli.ts): `export async function cmdPythons(args:
 * string[]): Promise<number>`, where `args` are the words after `pythons`:
 *   aiospec pythons [--json]
 * One line per minor version found (version, full version, path), and the
 * known versions (language/versions.ts KNOWN_PYTHONS) with no interpreter
 * here, whose expectations bless cannot produce or check. Exit 1 when none
 * is found.
 */
import { KNOWN_PYTHONS } from '../language/versions';
import { parseArgs } from './corpus';
import { availablePythons } from './interpreters';

export async function cmdPythons(args: string[]): Promise<number> {
  const { flags } = parseArgs(args, []);
  if (flags.has('help')) {
    console.log('usage: aiospec pythons [--json]');
    return 0;
  }
  const found = await availablePythons();
  if (flags.has('json')) {
    console.log(JSON.stringify(found, null, 2));
    return found.length ? 0 : 1;
  }
  if (found.length === 0) {
    console.log('no CPython 3.7+ interpreter found (looked in pyenv and on PATH)');
    return 1;
  }
  const width = Math.max(...found.map((p) => p.full.length));
  for (const p of found) console.log(`${p.version.padEnd(5)} ${p.full.padEnd(width)}  ${p.path}`);
  const missing = KNOWN_PYTHONS.filter((v) => !found.some((p) => p.version === v));
  if (missing.length) console.log(`not available: ${missing.join(', ')}`);
  return 0;
}
