/** Builds programs from YAML the way the loader does (ints are bigints, floats `{float: n}`), and runs them. */
import { execFileSync } from 'child_process';
import { parse } from 'yaml';
import type { Program } from '../../language/ast';
import type { Outcome } from '../../results';
import { runProgram } from '../interpreter';
import { FakeSession } from './fake-session';

function convertNode(v: unknown): unknown {
  if (typeof v === 'number') return { float: v };
  if (Array.isArray(v)) return v.map(convertNode);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'float' ? Number(x) : convertNode(x);
  return out;
}

export function program(yamlText: string): Program {
  const raw = parse(yamlText, { intAsBigInt: true }) as Record<string, any>;
  const out: Record<string, unknown> = {};
  for (const [group, value] of Object.entries(raw)) {
    if (group === 'module') out.module = convertNode(value);
    else {
      out[group] = Object.fromEntries(
        Object.entries(value as Record<string, any>).map(([name, def]) => [
          name,
          { ...def, params: def.params?.map((p: unknown) => (typeof p === 'string' ? p : convertNode(p))), body: convertNode(def.body) },
        ]),
      );
    }
  }
  return out as Program;
}

export interface Run {
  lines: string[];
  outcome: Outcome;
  session: FakeSession;
}

export async function run(yamlText: string, python = '3.11'): Promise<Run> {
  const session = new FakeSession();
  const outcome = await runProgram(program(yamlText), session, session.sink, { python });
  const lines = session.events.filter((e) => e.kind === 'print').map((e) => (e as { text: string }).text);
  return { lines, outcome, session };
}

/** What the program's printed lines and ending look like, in one list: the outcome last, as `!Type: str` or `=repr`. */
export function transcript(r: Run): string[] {
  const o = r.outcome;
  const end = o.kind === 'raised' ? `!${o.type.split('.').pop()}: ${o.str}` : o.kind === 'returned' ? `=${o.repr}` : '!deadlock';
  return [...r.lines, end];
}

const PY_RUNNER = String.raw`
import sys, asyncio, json
src = sys.stdin.read()
ns = {'__name__': '__scenario__'}
try:
    exec(compile(src, '<scenario>', 'exec'), ns)
    print('=' + repr(ns.get('__result__')))
except BaseException as e:
    print('!' + type(e).__name__ + ': ' + str(e))
`;

/** Runs Python source with python3 (or `exe`); `__result__` is the outcome. Returns the same transcript form. */
export function pythonTranscript(source: string, exe = 'python3'): string[] {
  const out = execFileSync(exe, ['-c', PY_RUNNER], { input: source }).toString('utf8');
  return out.replace(/\n$/, '').split('\n');
}
