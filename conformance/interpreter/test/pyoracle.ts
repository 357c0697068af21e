/**
 * Asks real CPython. A batch of requests goes to ONE python process as JSON;
 * values are encoded with tags (floats by their IEEE bits), so what Python
 * renders is the same value the interpreter holds. Expected strings in the
 * tests come from here, never typed by hand.
 */
import { execFileSync } from 'child_process';
import { existsSync, readdirSync } from 'fs';
import { join } from 'path';
import type { PyValue } from '../../adapters/adapter';
import { PyDict, PyList, PySet, PyTuple } from '../values';
import { FakeException } from './fake-session';

export type Encoded = unknown;

export function encode(v: PyValue): Encoded {
  switch (typeof v) {
    case 'bigint':
      return { int: v.toString() };
    case 'number': {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, v);
      return { float: Array.from(new Uint8Array(view.buffer), (b) => b.toString(16).padStart(2, '0')).join('') };
    }
    case 'string':
      return { str: v };
    case 'boolean':
      return { bool: v };
  }
  if (v === null) return { none: true };
  if (v instanceof PyList) return { list: v.items.map(encode) };
  if (v instanceof PyTuple) return { tuple: v.items.map(encode) };
  if (v instanceof PySet) return { set: v.items().map(encode) };
  if (v instanceof PyDict) return { dict: v.entries().map(([k, x]) => [encode(k), encode(x)]) };
  if (v instanceof FakeException) return { exc: v.type, args: v.args.map(encode) };
  throw new Error(`cannot encode ${String(v)}`);
}

const SCRIPT = String.raw`
import json, struct, sys
def dec(o):
    if 'int' in o: return int(o['int'])
    if 'float' in o: return struct.unpack('>d', bytes.fromhex(o['float']))[0]
    if 'str' in o: return o['str']
    if 'bool' in o: return o['bool']
    if 'none' in o: return None
    if 'list' in o: return [dec(x) for x in o['list']]
    if 'tuple' in o: return tuple(dec(x) for x in o['tuple'])
    if 'set' in o: return set(dec(x) for x in o['set'])
    if 'dict' in o: return {dec(k): dec(v) for k, v in o['dict']}
    if 'exc' in o:
        import builtins
        return getattr(builtins, o['exc'])(*[dec(x) for x in o['args']])
    raise ValueError(o)
import operator
OPS = {'add': operator.add, 'sub': operator.sub, 'mul': operator.mul, 'div': operator.truediv,
       'floordiv': operator.floordiv, 'mod': operator.mod, 'pow': operator.pow,
       'lt': operator.lt, 'le': operator.le, 'gt': operator.gt, 'ge': operator.ge, 'eq': operator.eq,
       'divmod': divmod, 'round': round}
def run(req):
    op = req['op']
    if op == 'repr': return repr(dec(req['v']))
    if op == 'str': return str(dec(req['v']))
    if op == 'format': return format(dec(req['v']), req['spec'])
    if op == 'fstring':
        ns = {k: dec(v) for k, v in req['vars'].items()}
        return eval('f' + repr(req['template']), {}, ns)
    if op == 'strformat':
        return req['template'].format(*[dec(a) for a in req['args']])
    if op in OPS: return repr(OPS[op](dec(req['a']), dec(req['b'])))
    if op == 'round1': return repr(round(dec(req['a'])))
    if op == 'neg': return repr(-dec(req['a']))
    raise ValueError(op)
out = []
for req in json.load(sys.stdin):
    try:
        out.append(run(req))
    except BaseException as e:
        out.append('!' + type(e).__name__ + ': ' + str(e))
sys.stdout.write(json.dumps(out))
`;

/** Runs the requests on `python` (default: python3 on PATH); each answer is a string, or `!Type: message`. */
export function askPython(requests: object[], python = 'python3'): string[] {
  const out = execFileSync(python, ['-c', SCRIPT], { input: JSON.stringify(requests), maxBuffer: 64 << 20 });
  return JSON.parse(out.toString('utf8'));
}

/** The CPython interpreters on this machine, by minor version ("3.9" → path). */
export function pythons(): Map<string, string> {
  const found = new Map<string, string>();
  let root = '';
  try {
    root = execFileSync('pyenv', ['root']).toString().trim();
  } catch {
    return found;
  }
  const dir = join(root, 'versions');
  if (!existsSync(dir)) return found;
  for (const v of readdirSync(dir)) {
    const m = /^3\.(\d+)\./.exec(v);
    const exe = join(dir, v, 'bin', 'python3');
    if (m && Number(m[1]) >= 7 && existsSync(exe)) found.set(`3.${m[1]}`, exe);
  }
  return found;
}
