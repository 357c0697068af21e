import * as path from 'path';

/** The source tree's root (tests run from dist/conformance/language/test). */
export const ROOT = path.resolve(__dirname, '../../../..');

/** A path under the source tree. */
export function src(...parts: string[]): string {
  return path.join(ROOT, ...parts);
}

/** A valid scenario document whose `main` body is `body` (YAML lines, indented by the caller's two spaces). */
export function scenario(body: string, { id = 'test.example', head = '', expect = 'expect:\n  trace: []\n' } = {}): string {
  const indented = body.split('\n').map((l) => `        ${l}`).join('\n');
  return `id: ${id}
title: an example
covers: []
python: ">=3.7"
strictness: documented
${head}program:
  coroutines:
    main:
      body:
${indented}
${expect}`;
}
