import { expect } from 'chai';
import type { PyValue } from '../../adapters/adapter';
import { repr, str } from '../render';
import { PyDict, PyList, PySet, PyTuple } from '../values';
import { FakeException, FakeSession } from './fake-session';
import { askPython, encode } from './pyoracle';

/** Deterministic pseudo-random numbers (xorshift), so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

function randomDoubles(n: number): number[] {
  const r = rng(12345);
  const out: number[] = [];
  const view = new DataView(new ArrayBuffer(8));
  while (out.length < n) {
    view.setUint32(0, Math.floor(r() * 0x100000000));
    view.setUint32(4, Math.floor(r() * 0x100000000));
    const x = view.getFloat64(0);
    if (!Number.isNaN(x)) out.push(x);
  }
  for (let e = -330; e <= 310; e += 7) out.push(Number(`${Math.floor(r() * 1000)}e${e}`), 10 ** e);
  return out;
}

const FLOATS = [
  0, -0, 1, -1, 0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 1.5, 100, 1e15, 1e16, 1e17, 123456789012345680, 9007199254740993,
  1e-4, 1e-5, 0.0001234, 1.0000000000000002, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
  Infinity, -Infinity, NaN, 1e22, 1e21, 1e-7, 0.5, 2.5, 1234.5678, -1e-310, 4.35, 0.30000000000000004,
];

const STRINGS = [
  '', 'a', "it's", 'say "hi"', `both ' and "`, 'back\\slash', 'tab\there', 'nl\n', 'cr\r', '\x00\x01\x1f\x7f',
  'é', 'ü\u00a0nbsp', '\x85', '\xad soft hyphen', '\u200b zero width', '\u2028', '\u3000', 'Ω≈ç√', '中文', '😀',
  '\u{e0001}', '\u{10ffff}', '\ud800 lone', 'a\udfffb', '\u0301 combining', '\ufeff', '\uffff', '\u0378',
  "'", '"', `'"`, '\\', '$dollar', '{braces}',
];

function values(): PyValue[] {
  const ints = [0n, 1n, -1n, 255n, -5n, 10n ** 30n, -(2n ** 100n), true, false];
  const scalars: PyValue[] = [...ints, ...FLOATS, ...STRINGS, null];
  const containers: PyValue[] = [
    new PyList(),
    new PyList([1n, 'a', 2.5, null, true]),
    new PyTuple(),
    new PyTuple([1n]),
    new PyTuple(['x', new PyList([new PyTuple([1n, 2n])])]),
    new PyDict(),
    new PyDict([['a', 1n], [2n, new PyList([0.5])], [new PyTuple([1n, 'b']), null]]),
    new PySet(),
    new PySet(['only']),
    new PyList([new PyDict([['k', new PyTuple([])]]), "it's", -0]),
    new FakeException('ValueError', ['boom']),
    new FakeException('ValueError', []),
    new FakeException('ValueError', ['a', 1n]),
    new FakeException('KeyError', ['k']),
    new FakeException('KeyError', []),
    new FakeException('KeyError', ['a', 'b']),
    new FakeException('TypeError', [new PyTuple([1n])]),
    new FakeException('RuntimeError', [null]),
    new PyList([new FakeException('ZeroDivisionError', ['division by zero'])]),
  ];
  return [...scalars, ...containers, ...randomDoubles(3000)];
}

describe('render: repr() and str() as CPython prints them', () => {
  const session = new FakeSession();
  const vals = values();
  const expected = askPython(vals.flatMap((v) => [{ op: 'repr', v: encode(v) }, { op: 'str', v: encode(v) }]));

  it('renders every generated value exactly as python3 repr() does', () => {
    const bad: string[] = [];
    vals.forEach((v, i) => {
      const got = repr(v, session);
      if (got !== expected[2 * i]) bad.push(`${expected[2 * i]} ≠ ${got}`);
    });
    expect(bad.slice(0, 20)).to.deep.equal([]);
  });

  it('renders every generated value exactly as python3 str() does', () => {
    const bad: string[] = [];
    vals.forEach((v, i) => {
      const got = str(v, session);
      if (got !== expected[2 * i + 1]) bad.push(`${expected[2 * i + 1]} ≠ ${got}`);
    });
    expect(bad.slice(0, 20)).to.deep.equal([]);
  });

  it('renders a list that contains itself as [...]', () => {
    const l = new PyList([1n]);
    l.items.push(l);
    expect(repr(l, session)).to.equal('[1, [...]]');
  });

  it('asks the implementation for the repr of its own objects', () => {
    expect(repr(new PyList([session.name('ValueError')]), session)).to.equal("[<class 'ValueError'>]");
  });
});
