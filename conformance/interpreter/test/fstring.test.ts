import { expect } from 'chai';
import type { PyValue } from '../../adapters/adapter';
import { Accessor, formatMethod, formatValue, renderFString } from '../fstring';
import { repr, str } from '../render';
import { PyContext, PyDict, PyList, PyTuple, ownTypeName } from '../values';
import { FakeException, FakeSession } from './fake-session';
import { askPython, encode } from './pyoracle';

const session = new FakeSession();
const ctx: PyContext = {
  minor: 11,
  raise(type: string, ...args: PyValue[]): never {
    throw new FakeException(type, args);
  },
  typeName: (v) => ownTypeName(v) ?? 'object',
  repr: (v) => repr(v, session),
};

/** Runs f, turning a raised exception into CPython's `!Type: message` answer form. */
function attempt(f: () => string): string {
  try {
    return f();
  } catch (e) {
    if (e instanceof FakeException) return `!${e.type}: ${str(e, session)}`;
    throw e;
  }
}

const NUMBERS: PyValue[] = [
  0n, 7n, -42n, 1234567n, -9876543210n, 10n ** 25n, true, false,
  0, -0, 1, -1.5, 3.14159, 2.5, 0.125, 0.5, 1.005, 123456.789, 1e16, 1e-5, 1.5e-7, 1e100, 9.995, 99.95, 0.05,
  Infinity, -Infinity, NaN, 1 / 3, 2 ** 60, 5e-324, 1.7976931348623157e308,
];
const STRS: PyValue[] = ['', 'abc', 'héllo', "it's", '😀x'];
const OTHERS: PyValue[] = [null, new PyList([1n]), new PyTuple(['a'])];

const SPECS = [
  '', 'd', '5', '>5', '<5', '^5', '^6', '*^9', '=8', '08', '+', '-', ' ', '+d', ',', '_', '010,', '08,', '012_', ',d',
  'x', 'X', '#x', '#o', 'b', '#b', '_b', 'c', 'n', 'e', 'E', '.0e', '.3e', '#.0e', 'f', 'F', '.0f', '.1f', '.2f',
  '.3f', '#.0f', '10.2f', '+.2f', '0=10.2f', ',.2f', '_.1f', 'g', 'G', '.1g', '.3g', '.10g', '#g', '#.3g', '.2',
  '.3', '.5', '.0', '#.3', '%', '.0%', '.1%', '.2%', 'z.1f', 'z.0f', 's', '.2s', '>10s', '.2d', 'z', '010', '+010.3f',
  '\u00e9>6', '=^7.1f',
];

describe('format(): the format-spec mini-language as python3 applies it', () => {
  const cases: [PyValue, string][] = [];
  for (const v of [...NUMBERS, ...STRS, ...OTHERS]) for (const spec of SPECS) cases.push([v, spec]);
  const expected = askPython(cases.map(([v, spec]) => ({ op: 'format', v: encode(v), spec })));

  it('formats every (value, spec) pair exactly as python3 format() does', () => {
    const bad: string[] = [];
    cases.forEach(([v, spec], i) => {
      const got = attempt(() => formatValue(v, spec, ctx, (x) => str(x, session)));
      if (got !== expected[i]) bad.push(`format(${repr(v, session)}, '${spec}'): ${JSON.stringify(expected[i])} ≠ ${JSON.stringify(got)}`);
    });
    expect(bad.slice(0, 25), `${bad.length} of ${cases.length} differ`).to.deep.equal([]);
  });
});

describe('f-strings: {name}, {name.attr}, {name!r}, {name:spec}', () => {
  const vars: Record<string, PyValue> = {
    name: 'World',
    n: 42n,
    x: 3.14159,
    q: "it's",
    xs: new PyList([1n, 'two', 3.0]),
    d: new PyDict([['k', 'v']]),
    w: 8n,
    none: null,
    t: new PyTuple([1n]),
  };
  const templates = [
    'Hello, {name}!', '{n}', '{x}', '{x:.2f}', '{n:>5}|', '{n:<5}|', '{n:^5}|', '{q!r}', '{q!s}', '{name!r:>10}',
    '{xs}', '{xs!r}', '{xs[1]}', "{d['k']}", '{{literal}} {n}', '{x:{w}.3f}', '{none}', '{t}', '{n=}', '{x = :.1f}',
    '{name=!s}', '{n:,}', '{n:08.3f}', '{q!a}', '{xs[0]:03d}', 'a{{b}}c', '{n!r:^9}',
  ];
  const expected = askPython(
    templates.map((template) => ({ op: 'fstring', template, vars: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, encode(v)])) })),
  );
  const host = {
    ctx,
    lookup: (n: string) => vars[n],
    access: (o: PyValue, step: Accessor): PyValue => {
      if ('index' in step) {
        if (o instanceof PyList) return o.items[Number(step.index)];
        if (o instanceof PyDict) return o.get(step.index) ?? null;
      }
      throw new Error('unexpected access');
    },
    str: (v: PyValue) => str(v, session),
    repr: (v: PyValue) => repr(v, session),
  };

  templates.forEach((template, i) => {
    it(`renders f"${template}" as python3 does`, () => {
      expect(attempt(() => renderFString(template, host))).to.equal(expected[i]);
    });
  });

  it('refuses a field outside the expression subset as a malformed scenario', () => {
    expect(() => renderFString('{n +}', host)).to.throw(/unsupported field/);
    // CPython: "SyntaxError: f-string: invalid syntax" (3.11.7), "... lambda expressions are not allowed without parentheses" (3.13.0).
    expect(() => renderFString('{lambda: 1}', host)).to.throw(/unsupported field '\s*lambda'/);
    expect(() => renderFString('{x if}', host)).to.throw(/unsupported field/);
  });
});

describe('str.format()', () => {
  const cases: [string, PyValue[]][] = [
    ['{} and {}', ['a', 1n]],
    ['{1}{0}', ['a', 'b']],
    ['{:>4}|{!r}', [7n, 'x']],
    ['{0[1]}', [new PyList(['p', 'q'])]],
    ['{}', []],
    ['{{}} {}', [2.5]],
  ];
  const expected = askPython(cases.map(([template, args]) => ({ op: 'strformat', template, args: args.map(encode) })));
  cases.forEach(([template, args], i) => {
    it(`formats '${template}'.format(...) as python3 does`, () => {
      const got = attempt(() =>
        formatMethod(template, args, {}, {
          ctx,
          str: (v) => str(v, session),
          repr: (v) => repr(v, session),
          access: (o, step) => ('index' in step && o instanceof PyList ? o.items[Number(step.index)] : null),
        }),
      );
      expect(got).to.equal(expected[i]);
    });
  });
});
