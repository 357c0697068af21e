/**
 * Python builtins and the methods of str, list and dict, for the scenario
 * interpreter.
 *
 * Every builtin is a {@link PyBuiltin}: a generator function, because some
 * of them call functions of the program (`sorted(xs, key=f)`), whose bodies
 * may suspend. Messages are CPython's (3.11 unless a comment says otherwise).
 *
 * `type_name(x)` is the language's spelling of `type(x).__name__`.
 */
import type { Kwargs, PyValue, Session } from '../adapters/adapter';
import { roundFloat } from './floatformat';
import { Accessor, formatMethod, formatValue } from './fstring';
import {
  PyBuiltin,
  PyContext,
  PyDict,
  PyDictView,
  PyList,
  PyRange,
  PySet,
  PyTuple,
  arith,
  codePoints,
  divmod,
  intToFloat,
  isFloat,
  isInt,
  isNumber,
  isStr,
  pyCompare,
  pyEq,
  pyLess,
  strLen,
  toBig,
} from './values';

export type Gen<T> = Generator<unknown, T, PyValue>;

/** What builtins need from the interpreter. */
export interface BuiltinHost {
  readonly ctx: PyContext;
  readonly session: Session;
  repr(v: PyValue): string;
  str(v: PyValue): string;
  truthy(v: PyValue): boolean;
  /** Python iteration (TypeError when not iterable). */
  iterate(v: PyValue): Iterable<PyValue>;
  /** Calls any callable value, running program bodies to completion (they may suspend). */
  call(fn: PyValue, args: PyValue[], kwargs: Kwargs): Gen<PyValue>;
  /** Appends text to the program's stdout. */
  write(text: string): void;
  /** `obj.attr`, `obj[i]`, `obj()` as a format field reference. */
  access(obj: PyValue, step: Accessor): PyValue;
  /** `type(v)`: the class object. */
  typeOf(v: PyValue): PyValue;
  /** `isinstance(v, cls)` for one class (not a tuple). */
  isInstance(v: PyValue, cls: PyValue): boolean;
}

type Impl = (args: PyValue[], kwargs: Kwargs) => Gen<PyValue>;

/** Wraps a plain function as a generator-returning builtin. */
function sync(f: (args: PyValue[], kwargs: Kwargs) => PyValue): Impl {
  return function* (args, kwargs) {
    return f(args, kwargs);
  };
}

function noKwargs(name: string, kwargs: Kwargs, ctx: PyContext): void {
  const k = Object.keys(kwargs);
  if (k.length) ctx.raise('TypeError', `${name}() takes no keyword arguments`);
}

function exactlyOne(name: string, args: PyValue[], ctx: PyContext): void {
  if (args.length !== 1) ctx.raise('TypeError', `${name}() takes exactly one argument (${args.length} given)`);
}

function atMost(name: string, args: PyValue[], n: number, ctx: PyContext, least = 0): void {
  if (args.length > n) ctx.raise('TypeError', `${name} expected at most ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`);
  if (args.length < least) {
    ctx.raise('TypeError', `${name} expected at least ${least} argument${least === 1 ? '' : 's'}, got ${args.length}`);
  }
}

/** `operator.index`: an int (or bool), else TypeError. */
export function index(v: PyValue, ctx: PyContext): bigint {
  if (isInt(v)) return toBig(v);
  return ctx.raise('TypeError', `'${ctx.typeName(v)}' object cannot be interpreted as an integer`);
}

// ---------------------------------------------------------------------------
// Sorting: CPython's list.sort for short lists (count_run + binary insertion)

/**
 * Sorts `keys` (with `values` alongside) exactly as CPython's timsort does on
 * lists shorter than 64: the same comparisons in the same order, so a
 * mixed-type list fails with the same TypeError. Longer lists use the same
 * algorithm (stable, same result, possibly different comparisons).
 */
export function timsortSmall(keys: PyValue[], values: PyValue[], less: (a: PyValue, b: PyValue) => boolean): void {
  const n = keys.length;
  if (n < 2) return;
  const swap = (i: number, j: number) => {
    [keys[i], keys[j]] = [keys[j], keys[i]];
    [values[i], values[j]] = [values[j], values[i]];
  };
  // count_run: a strictly descending run is reversed in place.
  let run = 2;
  if (less(keys[1], keys[0])) {
    while (run < n && less(keys[run], keys[run - 1])) run++;
    for (let i = 0, j = run - 1; i < j; i++, j--) swap(i, j);
  } else {
    while (run < n && !less(keys[run], keys[run - 1])) run++;
  }
  // binarysort from the end of the run.
  for (let start = run; start < n; start++) {
    const pk = keys[start];
    const pv = values[start];
    let l = 0;
    let r = start;
    while (l < r) {
      const p = (l + r) >> 1;
      if (less(pk, keys[p])) r = p;
      else l = p + 1;
    }
    for (let p = start; p > l; p--) {
      keys[p] = keys[p - 1];
      values[p] = values[p - 1];
    }
    keys[l] = pk;
    values[l] = pv;
  }
}

/** `list.sort(key=, reverse=)` on an array, in place. */
export function* sortItems(items: PyValue[], kwargs: Kwargs, host: BuiltinHost): Gen<void> {
  const key = kwargs.key ?? null;
  const reverse = host.truthy(kwargs.reverse ?? false);
  const keys: PyValue[] = [];
  for (const x of items) keys.push(key === null ? x : yield* host.call(key, [x], {}));
  const values = [...items];
  // CPython reverses before and after sorting, so equal items keep their order.
  if (reverse) {
    keys.reverse();
    values.reverse();
  }
  timsortSmall(keys, values, (a, b) => pyLess(a, b, host.ctx));
  if (reverse) values.reverse();
  items.splice(0, items.length, ...values);
}

// ---------------------------------------------------------------------------
// Conversions

const INT_LITERAL = /^[+-]?\d+(?:_\d+)*$/;
const FLOAT_LITERAL = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.\d+(?:_\d+)*|\d+(?:_\d+)*\.?)(?:[eE][+-]?\d+(?:_\d+)*)?$/;

function pyStrip(s: string): string {
  return s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/gu, '');
}

export function toInt(v: PyValue, ctx: PyContext, base?: PyValue): bigint {
  if (base !== undefined) {
    if (!isStr(v)) return ctx.raise('TypeError', "int() can't convert non-string with explicit base");
    const b = Number(index(base, ctx));
    const s = pyStrip(v).replace(/_/g, '').toLowerCase();
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
    const neg = s.startsWith('-');
    const body = s.replace(/^[+-]/, '');
    if (!body || [...body].some((c) => !digits.includes(c))) {
      return ctx.raise('ValueError', `invalid literal for int() with base ${b}: ${ctx.repr(v)}`);
    }
    let n = 0n;
    for (const c of body) n = n * BigInt(b) + BigInt(digits.indexOf(c));
    return neg ? -n : n;
  }
  if (isInt(v)) return toBig(v);
  if (isFloat(v)) {
    if (Number.isNaN(v)) return ctx.raise('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(v)) return ctx.raise('OverflowError', 'cannot convert float infinity to integer');
    return BigInt(Math.trunc(v));
  }
  if (isStr(v)) {
    const s = pyStrip(v);
    if (!INT_LITERAL.test(s)) return ctx.raise('ValueError', `invalid literal for int() with base 10: ${ctx.repr(v)}`);
    return BigInt(s.replace(/_/g, ''));
  }
  // Measured: 'a number' up to 3.9, 'a real number' from 3.10.
  const what = ctx.minor >= 10 ? 'a real number' : 'a number';
  return ctx.raise('TypeError', `int() argument must be a string, a bytes-like object or ${what}, not '${ctx.typeName(v)}'`);
}

export function toFloat(v: PyValue, ctx: PyContext): number {
  if (isFloat(v)) return v;
  if (isInt(v)) return intToFloat(v, ctx);
  if (isStr(v)) {
    const s = pyStrip(v);
    const lower = s.toLowerCase();
    const m = /^([+-]?)(inf|infinity|nan)$/.exec(lower);
    if (m) return m[2] === 'nan' ? NaN : m[1] === '-' ? -Infinity : Infinity;
    if (!FLOAT_LITERAL.test(s)) return ctx.raise('ValueError', `could not convert string to float: ${ctx.repr(v)}`);
    return Number(s.replace(/_/g, ''));
  }
  const what = ctx.minor >= 10 ? 'a real number' : 'a number';
  return ctx.raise('TypeError', `float() argument must be a string or ${what}, not '${ctx.typeName(v)}'`);
}

/** Python `round(x)` / `round(x, n)`. */
export function pyRound(x: PyValue, n: PyValue | undefined, ctx: PyContext): PyValue {
  if (isInt(x)) {
    const i = toBig(x);
    if (n === undefined || n === null) return i;
    const nd = index(n, ctx);
    if (nd >= 0n) return i;
    const m = 10n ** -nd;
    let q = i / m;
    let r = i % m;
    if (r < 0n) {
      q -= 1n;
      r += m;
    }
    if (r * 2n > m || (r * 2n === m && (q & 1n) === 1n)) q += 1n;
    return q * m;
  }
  if (isFloat(x)) {
    if (n === undefined || n === null) {
      if (Number.isNaN(x)) return ctx.raise('ValueError', 'cannot convert float NaN to integer');
      if (!Number.isFinite(x)) return ctx.raise('OverflowError', 'cannot convert float infinity to integer');
      const fl = Math.floor(x);
      const diff = x - fl;
      const r = diff > 0.5 || (diff === 0.5 && fl % 2 !== 0) ? fl + 1 : fl;
      return BigInt(r);
    }
    return roundFloat(x, Number(index(n, ctx)));
  }
  return ctx.raise('TypeError', `type ${ctx.typeName(x)} doesn't define __round__ method`);
}

// ---------------------------------------------------------------------------
// The builtins

/** Builtin types: callable constructors that `isinstance` understands. */
const TYPE_TESTS: Record<string, (v: PyValue) => boolean> = {
  int: isInt,
  float: isFloat,
  str: isStr,
  bool: (v) => typeof v === 'boolean',
  list: (v) => v instanceof PyList,
  tuple: (v) => v instanceof PyTuple,
  dict: (v) => v instanceof PyDict,
  set: (v) => v instanceof PySet,
  range: (v) => v instanceof PyRange,
  object: () => true,
};

export function makeBuiltins(host: BuiltinHost): Map<string, PyBuiltin> {
  const ctx = host.ctx;
  const table = new Map<string, PyBuiltin>();
  const def = (name: string, impl: Impl) => table.set(name, new PyBuiltin(name, impl));
  const type = (name: string, impl: Impl) => table.set(name, new PyBuiltin(name, impl, undefined, TYPE_TESTS[name]));
  const list = (v: PyValue): PyValue[] => [...host.iterate(v)];

  type('int', sync((a, k) => (a.length === 0 ? 0n : toInt(a[0], ctx, a[1] ?? k.base))));
  type('float', sync((a) => (a.length === 0 ? 0.0 : toFloat(a[0], ctx))));
  type('str', sync((a) => (a.length === 0 ? '' : host.str(a[0]))));
  type('bool', sync((a) => (a.length === 0 ? false : host.truthy(a[0]))));
  type('list', sync((a) => new PyList(a.length === 0 ? [] : list(a[0]))));
  type('tuple', sync((a) => (a.length === 0 ? new PyTuple() : a[0] instanceof PyTuple ? a[0] : new PyTuple(list(a[0])))));
  type('set', sync((a) => new PySet(a.length === 0 ? [] : list(a[0]), ctx)));
  type('object', sync(() => ctx.raise('TypeError', 'aiospec: object() instances are not modelled')));
  type(
    'dict',
    sync((a, k) => {
      const d = new PyDict();
      if (a.length > 0) {
        if (a[0] instanceof PyDict) for (const [x, y] of a[0].entries()) d.set(x, y, ctx);
        else {
          let i = 0;
          for (const pair of host.iterate(a[0])) {
            const kv = list(pair);
            if (kv.length !== 2) {
              ctx.raise('ValueError', `dictionary update sequence element #${i} has length ${kv.length}; 2 is required`);
            }
            d.set(kv[0], kv[1], ctx);
            i++;
          }
        }
      }
      for (const [x, y] of Object.entries(k)) d.set(x, y, ctx);
      return d;
    }),
  );
  type(
    'range',
    sync((a) => {
      atMost('range', a, 3, ctx, 1);
      const ints = a.map((x) => index(x, ctx));
      if (ints.length === 1) return new PyRange(0n, ints[0], 1n);
      const step = ints[2] ?? 1n;
      if (step === 0n) ctx.raise('ValueError', 'range() arg 3 must not be zero');
      return new PyRange(ints[0], ints[1], step);
    }),
  );

  def('len', sync((a, k) => {
    noKwargs('len', k, ctx);
    exactlyOne('len', a, ctx);
    return BigInt(length(a[0], ctx));
  }));
  def('repr', sync((a) => {
    exactlyOne('repr', a, ctx);
    return host.repr(a[0]);
  }));
  def('type_name', sync((a) => ctx.typeName(a[0])));
  def('type', sync((a) => {
    exactlyOne('type', a, ctx);
    return host.typeOf(a[0]);
  }));
  def('issubclass', sync((a) => {
    if (a.length !== 2) ctx.raise('TypeError', `issubclass expected 2 arguments, got ${a.length}`);
    const [sub, sup] = a;
    const classes = sup instanceof PyTuple ? sup.items : [sup];
    return classes.some((c) => {
      if (sub instanceof PyBuiltin && c instanceof PyBuiltin) {
        return sub === c || (sub.name === 'bool' && c.name === 'int') || c.name === 'object';
      }
      return host.session.call('issubclass', [sub, c], {}) === true;
    });
  }));
  def('functools.partial', sync((a, k) => {
    const [fn, ...bound] = a;
    const partial: PyBuiltin = new PyBuiltin(
      'functools.partial',
      (args, kwargs) => host.call(fn, [...bound, ...args], { ...k, ...kwargs }),
    );
    // repr: functools.partial(<function cb at 0x...>, 'one')
    (partial as { partialOf?: PyValue[] }).partialOf = [fn, ...bound];
    return partial;
  }));
  def('abs', sync((a) => {
    exactlyOne('abs', a, ctx);
    const x = a[0];
    if (isFloat(x)) return Math.abs(x);
    if (isInt(x)) {
      const i = toBig(x);
      return i < 0n ? -i : i;
    }
    return ctx.raise('TypeError', `bad operand type for abs(): '${ctx.typeName(x)}'`);
  }));
  def('round', sync((a, k) => pyRound(a[0], a[1] ?? k.ndigits, ctx)));
  def('divmod', sync((a) => divmod(a[0], a[1], ctx)));
  def('chr', sync((a) => String.fromCodePoint(Number(index(a[0], ctx)))));
  def('ord', sync((a) => {
    const s = a[0];
    if (!isStr(s) || strLen(s) !== 1) {
      return ctx.raise('TypeError', isStr(s)
        ? `ord() expected a character, but string of length ${strLen(s)} found`
        : `ord() expected string of length 1, but ${ctx.typeName(s)} found`);
    }
    return BigInt(s.codePointAt(0)!);
  }));
  def('isinstance', sync((a) => {
    if (a.length !== 2) ctx.raise('TypeError', `isinstance expected 2 arguments, got ${a.length}`);
    const [v, cls] = a;
    const classes = cls instanceof PyTuple ? cls.items : [cls];
    for (const c of classes) {
      if (isStr(c) || isNumber(c) || c === null || c instanceof PyList || c instanceof PyDict) {
        ctx.raise('TypeError', ctx.minor >= 10
          ? 'isinstance() arg 2 must be a type, a tuple of types, or a union'
          : 'isinstance() arg 2 must be a type or tuple of types');
      }
    }
    return classes.some((c) => host.isInstance(v, c));
  }));
  def('sorted', function* (a, k) {
    if (a.length !== 1) ctx.raise('TypeError', `sorted expected 1 argument, got ${a.length}`);
    const items = list(a[0]);
    yield* sortItems(items, k, host);
    return new PyList(items);
  });
  const extreme = (name: 'min' | 'max', op: 'lt' | 'gt'): Impl =>
    function* (a, k) {
      const items = a.length === 1 ? list(a[0]) : a;
      if (a.length === 0) ctx.raise('TypeError', `${name} expected at least 1 argument, got 0`);
      if (items.length === 0) {
        if ('default' in k) return k.default;
        // Measured: 'arg is an empty sequence' up to 3.11, 'iterable argument is empty' from 3.12.
        return ctx.raise('ValueError', ctx.minor >= 12 ? `${name}() iterable argument is empty` : `${name}() arg is an empty sequence`);
      }
      const key = k.key ?? null;
      let best = items[0];
      let bestKey = key === null ? best : yield* host.call(key, [best], {});
      for (const x of items.slice(1)) {
        const xk = key === null ? x : yield* host.call(key, [x], {});
        if (pyCompare(op, xk, bestKey, ctx)) {
          best = x;
          bestKey = xk;
        }
      }
      return best;
    };
  def('min', extreme('min', 'lt'));
  def('max', extreme('max', 'gt'));
  def('sum', sync((a, k) => {
    let total: PyValue = a[1] ?? k.start ?? 0n;
    if (isStr(total)) ctx.raise('TypeError', "sum() can't sum strings [use ''.join(seq) instead]");
    for (const x of host.iterate(a[0])) total = arith('add', total, x, ctx);
    return total;
  }));
  def('any', sync((a) => list(a[0]).some((x) => host.truthy(x))));
  def('all', sync((a) => list(a[0]).every((x) => host.truthy(x))));
  def('enumerate', sync((a, k) => {
    let i = toBig((a[1] ?? k.start ?? 0n) as bigint);
    return new PyList(list(a[0]).map((x) => new PyTuple([i++, x])));
  }));
  def('zip', sync((a) => {
    const lists = a.map(list);
    const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
    const out: PyValue[] = [];
    for (let i = 0; i < n; i++) out.push(new PyTuple(lists.map((l) => l[i])));
    return new PyList(out);
  }));
  def('reversed', sync((a) => new PyList(list(a[0]).reverse())));
  def('format', sync((a) => formatValue(a[0], isStr(a[1]) ? a[1] : '', ctx, (v) => host.str(v))));
  def('print', function* (a, k) {
    const sep = k.sep ?? null;
    const end = k.end ?? null;
    if (sep !== null && !isStr(sep)) ctx.raise('TypeError', `sep must be None or a string, not ${ctx.typeName(sep)}`);
    if (end !== null && !isStr(end)) ctx.raise('TypeError', `end must be None or a string, not ${ctx.typeName(end)}`);
    host.write(a.map((x) => host.str(x)).join((sep as string | null) ?? ' ') + ((end as string | null) ?? '\n'));
    return null;
  });
  return table;
}

/** `len(v)` for the interpreter's values. */
export function length(v: PyValue, ctx: PyContext): number {
  if (isStr(v)) return strLen(v);
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
  if (v instanceof PyDict) return v.size;
  if (v instanceof PySet) return v.size;
  if (v instanceof PyDictView) return v.dict.size;
  if (v instanceof PyRange) return v.length;
  return ctx.raise('TypeError', `object of type '${ctx.typeName(v)}' has no len()`);
}

// ---------------------------------------------------------------------------
// Methods of str, list, dict

/** Python index normalisation for `list.pop(i)` and friends. */
function normIndex(i: PyValue, n: number, ctx: PyContext): number {
  let k = Number(index(i, ctx));
  if (k < 0) k += n;
  return k;
}

type Method = (self: any, args: PyValue[], kwargs: Kwargs, host: BuiltinHost) => Gen<PyValue>;
const m = (f: (self: any, args: PyValue[], kwargs: Kwargs, host: BuiltinHost) => PyValue): Method =>
  function* (self, args, kwargs, host) {
    return f(self, args, kwargs, host);
  };

const LIST_METHODS: Record<string, Method> = {
  append: m((self: PyList, a) => {
    self.items.push(a[0]);
    return null;
  }),
  extend: m((self: PyList, a, _k, host) => {
    self.items.push(...host.iterate(a[0]));
    return null;
  }),
  insert: m((self: PyList, a, _k, host) => {
    let i = Number(index(a[0], host.ctx));
    const n = self.items.length;
    if (i < 0) i = Math.max(0, i + n);
    self.items.splice(Math.min(i, n), 0, a[1]);
    return null;
  }),
  pop: m((self: PyList, a, _k, host) => {
    const n = self.items.length;
    if (n === 0) return host.ctx.raise('IndexError', 'pop from empty list');
    const i = a.length ? normIndex(a[0], n, host.ctx) : n - 1;
    if (i < 0 || i >= n) return host.ctx.raise('IndexError', 'pop index out of range');
    return self.items.splice(i, 1)[0];
  }),
  remove: m((self: PyList, a, _k, host) => {
    const i = self.items.findIndex((x) => x === a[0] || pyEq(x, a[0]));
    if (i < 0) return host.ctx.raise('ValueError', 'list.remove(x): x not in list');
    self.items.splice(i, 1);
    return null;
  }),
  index: m((self: PyList, a, _k, host) => {
    const i = self.items.findIndex((x) => x === a[0] || pyEq(x, a[0]));
    if (i < 0) return host.ctx.raise('ValueError', `${host.repr(a[0])} is not in list`);
    return BigInt(i);
  }),
  count: m((self: PyList, a) => BigInt(self.items.filter((x) => x === a[0] || pyEq(x, a[0])).length)),
  clear: m((self: PyList) => {
    self.items.length = 0;
    return null;
  }),
  copy: m((self: PyList) => new PyList([...self.items])),
  reverse: m((self: PyList) => {
    self.items.reverse();
    return null;
  }),
  *sort(self: PyList, _a, k, host) {
    yield* sortItems(self.items, k, host);
    return null;
  },
};

const DICT_METHODS: Record<string, Method> = {
  get: m((self: PyDict, a, _k, host) => {
    const v = self.get(a[0], host.ctx);
    return v === undefined ? (a[1] ?? null) : v;
  }),
  keys: m((self: PyDict) => new PyDictView(self, 'keys')),
  values: m((self: PyDict) => new PyDictView(self, 'values')),
  items: m((self: PyDict) => new PyDictView(self, 'items')),
  pop: m((self: PyDict, a, _k, host) => {
    const v = self.get(a[0], host.ctx);
    if (v === undefined) {
      if (a.length > 1) return a[1];
      return host.ctx.raise('KeyError', a[0]);
    }
    self.delete(a[0], host.ctx);
    return v;
  }),
  setdefault: m((self: PyDict, a, _k, host) => {
    const v = self.get(a[0], host.ctx);
    if (v !== undefined) return v;
    self.set(a[0], a[1] ?? null, host.ctx);
    return a[1] ?? null;
  }),
  update: m((self: PyDict, a, k, host) => {
    if (a.length) {
      const src = a[0];
      if (src instanceof PyDict) for (const [x, y] of src.entries()) self.set(x, y, host.ctx);
      else for (const pair of host.iterate(src)) {
        const kv = [...host.iterate(pair)];
        self.set(kv[0], kv[1], host.ctx);
      }
    }
    for (const [x, y] of Object.entries(k)) self.set(x, y, host.ctx);
    return null;
  }),
  copy: m((self: PyDict) => new PyDict(self.entries())),
  clear: m((self: PyDict) => {
    self.clear();
    return null;
  }),
};

const SET_METHODS: Record<string, Method> = {
  add: m((self: PySet, a, _k, host) => {
    self.add(a[0], host.ctx);
    return null;
  }),
  discard: m((self: PySet, a, _k, host) => {
    self.delete(a[0], host.ctx);
    return null;
  }),
  remove: m((self: PySet, a, _k, host) => {
    if (!self.delete(a[0], host.ctx)) host.ctx.raise('KeyError', a[0]);
    return null;
  }),
  pop: m((self: PySet, _a, _k, host) => {
    const items = self.items();
    if (!items.length) return host.ctx.raise('KeyError', 'pop from an empty set');
    self.delete(items[0], host.ctx);
    return items[0];
  }),
  copy: m((self: PySet) => new PySet(self.items())),
};

function strArg(v: PyValue, what: string, host: BuiltinHost): string {
  if (!isStr(v)) return host.ctx.raise('TypeError', `${what} must be str or a tuple of str, not ${host.ctx.typeName(v)}`);
  return v;
}

function stripChars(self: string, chars: PyValue, side: 'both' | 'left' | 'right'): string {
  const set = chars === undefined || chars === null ? null : codePoints(chars as string);
  const strip = (c: string) => (set === null ? /^[\s\x1c-\x1f\x85]$/u.test(c) : set.includes(c));
  const cps = codePoints(self);
  let i = 0;
  let j = cps.length;
  if (side !== 'right') while (i < j && strip(cps[i])) i++;
  if (side !== 'left') while (j > i && strip(cps[j - 1])) j--;
  return cps.slice(i, j).join('');
}

const STR_METHODS: Record<string, Method> = {
  join: m((self: string, a, _k, host) => {
    const parts: string[] = [];
    let i = 0;
    for (const x of host.iterate(a[0])) {
      if (!isStr(x)) {
        host.ctx.raise('TypeError', `sequence item ${i}: expected str instance, ${host.ctx.typeName(x)} found`);
      }
      parts.push(x as string);
      i++;
    }
    return parts.join(self);
  }),
  upper: m((self: string) => self.toUpperCase()),
  splitlines: m((self: string, a, k, host) => {
    const keep = host.truthy(a[0] ?? k.keepends ?? false);
    const out: string[] = [];
    const re = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/g;
    let last = 0;
    for (let mm = re.exec(self); mm; mm = re.exec(self)) {
      out.push(self.slice(last, keep ? mm.index + mm[0].length : mm.index));
      last = mm.index + mm[0].length;
    }
    if (last < self.length) out.push(self.slice(last));
    return new PyList(out);
  }),
  lower: m((self: string) => self.toLowerCase()),
  startswith: m((self: string, a, _k, host) => {
    const p = a[0];
    const options = p instanceof PyTuple ? p.items : [p];
    return options.some((x) => self.startsWith(strArg(x, 'startswith first arg', host)));
  }),
  endswith: m((self: string, a, _k, host) => {
    const p = a[0];
    const options = p instanceof PyTuple ? p.items : [p];
    return options.some((x) => self.endsWith(strArg(x, 'endswith first arg', host)));
  }),
  split: m((self: string, a, k) => {
    const sep = a[0] ?? k.sep ?? null;
    const max = Number(a[1] ?? k.maxsplit ?? -1n);
    if (sep === null) {
      const words = self.split(/[\s\x1c-\x1f\x85]+/u).filter((w) => w !== '');
      if (max >= 0 && words.length > max + 1) {
        // Re-split keeping the rest of the string intact after max splits.
        const out: string[] = [];
        let rest = self.replace(/^[\s\x1c-\x1f\x85]+/u, '');
        for (let i = 0; i < max; i++) {
          const mm = /[\s\x1c-\x1f\x85]+/u.exec(rest);
          if (!mm) break;
          out.push(rest.slice(0, mm.index));
          rest = rest.slice(mm.index + mm[0].length);
        }
        out.push(rest);
        return new PyList(out);
      }
      return new PyList(words);
    }
    const parts = (self as string).split(sep as string);
    if (max >= 0 && parts.length > max + 1) {
      return new PyList([...parts.slice(0, max), parts.slice(max).join(sep as string)]);
    }
    return new PyList(parts);
  }),
  strip: m((self: string, a) => stripChars(self, a[0], 'both')),
  lstrip: m((self: string, a) => stripChars(self, a[0], 'left')),
  rstrip: m((self: string, a) => stripChars(self, a[0], 'right')),
  replace: m((self: string, a) => self.split(a[0] as string).join(a[1] as string)),
  find: m((self: string, a) => {
    const i = self.indexOf(a[0] as string);
    return i < 0 ? -1n : BigInt(codePoints(self.slice(0, i)).length);
  }),
  index: m((self: string, a, _k, host) => {
    const i = self.indexOf(a[0] as string);
    if (i < 0) return host.ctx.raise('ValueError', 'substring not found');
    return BigInt(codePoints(self.slice(0, i)).length);
  }),
  count: m((self: string, a) => BigInt(a[0] === '' ? strLen(self) + 1 : self.split(a[0] as string).length - 1)),
  format: m((self: string, a, k, host) =>
    formatMethod(self, a, k, {
      ctx: host.ctx,
      str: (v) => host.str(v),
      repr: (v) => host.repr(v),
      access: (obj, step) => host.access(obj, step),
    }),
  ),
};

const METHOD_TABLES: [(v: PyValue) => boolean, Record<string, Method>][] = [
  [(v) => v instanceof PyList, LIST_METHODS],
  [(v) => v instanceof PyDict, DICT_METHODS],
  [(v) => v instanceof PySet, SET_METHODS],
  [isStr, STR_METHODS],
];

/** The bound method `obj.name` of a str, list, dict or set; undefined if there is none. */
export function boundMethod(obj: PyValue, name: string, host: BuiltinHost): PyBuiltin | undefined {
  for (const [test, methods] of METHOD_TABLES) {
    if (!test(obj)) continue;
    const f = Object.prototype.hasOwnProperty.call(methods, name) ? methods[name] : undefined;
    if (!f) return undefined;
    return new PyBuiltin(name, (args, kwargs) => f(obj, args, kwargs, host), obj);
  }
  return undefined;
}

