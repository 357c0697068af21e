/**
 * The version of the runner contract reports are judged under: the
 * `spec_version:` line of spec/INTERPRETING.md (bumped on any change of
 * meaning), and aiospec's own package version.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './deps';

/** Used only when spec/INTERPRETING.md cannot be read. */
const FALLBACK_SPEC_VERSION = 'unknown';

let cached: string | undefined;

export function specVersion(): string {
  if (cached === undefined) {
    try {
      const text = fs.readFileSync(path.join(ROOT, 'spec', 'INTERPRETING.md'), 'utf8');
      const m = /^\W*spec_version:\s*`?([^\s`*]+)`?/m.exec(text);
      cached = m ? m[1] : FALLBACK_SPEC_VERSION;
    } catch {
      cached = FALLBACK_SPEC_VERSION;
    }
  }
  return cached;
}

export function aiospecVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
