/**
 * The Python value model of the scenario interpreter.
 *
 * Python `int` is a bigint, `float` a number, `str` a string, `bool` a
 * boolean, `None` null; lists, tuples, dicts and ranges are the classes
 * below. Anything else is either a function of the program ({@link PyFunction},
 * {@link PyBuiltin}) or an opaque object of the implementation, which the
 * interpreter only passes back to the Session.
 *
 * Invariants:
 * - `bool` is an `int` everywhere numbers are expected (True + 1 == 2,
 *   {1: 'a'}[True] == 'a'), as in Python.
 * - Operations that can fail raise through {@link PyContext.raise}, which
 *   throws the implementation's exception object with CPython's message, so
 *   `except TypeError` in a program catches them.
 * - Nothing here evaluates code.
 *
 * Python names: `__eq__` is {@link pyEq}, `__bool__` {@link truthy},
 * `__hash__` {@link hashKey}, the binary operators {@link binaryOp}.
 */
import type { BodyRun, Kwargs, ProgramFunction, PyValue } from '../adapters/adapter';
import { decompose } from '../../reference/pyrepr';

export type { PyValue } from '../adapters/adapter';

// ---------------------------------------------------------------------------
// Context: what value operations need from the interpreter

export interface PyContext {
  /** Minor version of the Python being imitated (11 for 3.11): some messages differ. */
  readonly minor: number;
  /** Throws the implementation's exception `type(*args)`. */
  raise(type: string, ...args: PyValue[]): never;
  /** `type(v).__name__`. */
  typeName(v: PyValue): string;
  /** `repr(v)`. */
  repr(v: PyValue): string;
}

// ---------------------------------------------------------------------------
// Containers

/** Python `list`: mutable, wraps an array (shared, not copied). */
export class PyList {
  constructor(public items: PyValue[] = []) {}
}

/** Python `tuple`. */
export class PyTuple {
  constructor(readonly items: readonly PyValue[] = []) {}
}

/** Python `range` (always of ints). */
export class PyRange {
  constructor(readonly start: bigint, readonly stop: bigint, readonly step: bigint) {}
  get length(): number {
    const { start, stop, step } = this;
    if (step > 0n) return stop > start ? Number((stop - start + step - 1n) / step) : 0;
    return start > stop ? Number((start - stop - step - 1n) / -step) : 0;
  }
  at(i: number): bigint {
    return this.start + BigInt(i) * this.step;
  }
  *[Symbol.iterator](): Iterator<bigint> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield this.at(i);
  }
}

interface DictEntry {
  key: PyValue;
  value: PyValue;
}

/**
 * Python `dict`: insertion-ordered; keys are found by Python equality
 * (`1`, `1.0` and `True` are one key, and the first one inserted is kept).
 */
export class PyDict {
  private readonly map = new Map<string, DictEntry>();
  /** Bumped on every insertion or deletion; iteration checks it ("dictionary changed size"). */
  version = 0;

  constructor(entries: Iterable<[PyValue, PyValue]> = [], ctx?: PyContext) {
    for (const [k, v] of entries) this.set(k, v, ctx);
  }
  get size(): number {
    return this.map.size;
  }
  has(key: PyValue, ctx?: PyContext): boolean {
    return this.map.has(hashKey(key, ctx));
  }
  get(key: PyValue, ctx?: PyContext): PyValue | undefined {
    return this.map.get(hashKey(key, ctx))?.value;
  }
  set(key: PyValue, value: PyValue, ctx?: PyContext): void {
    const h = hashKey(key, ctx);
    const e = this.map.get(h);
    if (e) e.value = value;
    else {
      this.map.set(h, { key, value });
      this.version++;
    }
  }
  delete(key: PyValue, ctx?: PyContext): boolean {
    const gone = this.map.delete(hashKey(key, ctx));
    if (gone) this.version++;
    return gone;
  }
  clear(): void {
    this.map.clear();
    this.version++;
  }
  keys(): PyValue[] {
    return [...this.map.values()].map((e) => e.key);
  }
  values(): PyValue[] {
    return [...this.map.values()].map((e) => e.value);
  }
  entries(): [PyValue, PyValue][] {
    return [...this.map.values()].map((e) => [e.key, e.value]);
  }
}

/**
 * Python `set` (what `asyncio.wait` returns). Iterates in insertion order;
 * CPython's order follows hashes, which scenarios must not depend on (they
 * sort, e.g. by task name).
 */
export class PySet {
  private readonly map = new Map<string, PyValue>();
  version = 0;
  constructor(items: Iterable<PyValue> = [], ctx?: PyContext) {
    for (const x of items) this.add(x, ctx);
  }
  get size(): number {
    return this.map.size;
  }
  has(x: PyValue, ctx?: PyContext): boolean {
    return this.map.has(hashKey(x, ctx));
  }
  add(x: PyValue, ctx?: PyContext): void {
    const h = hashKey(x, ctx);
    if (!this.map.has(h)) {
      this.map.set(h, x);
      this.version++;
    }
  }
  delete(x: PyValue, ctx?: PyContext): boolean {
    const gone = this.map.delete(hashKey(x, ctx));
    if (gone) this.version++;
    return gone;
  }
  items(): PyValue[] {
    return [...this.map.values()];
  }
}

/** `dict.keys()` / `values()` / `items()`: a live view. */
export class PyDictView {
  constructor(readonly dict: PyDict, readonly kind: 'keys' | 'values' | 'items') {}
  items(): PyValue[] {
    if (this.kind === 'keys') return this.dict.keys();
    if (this.kind === 'values') return this.dict.values();
    return this.dict.entries().map(([k, v]) => new PyTuple([k, v]));
  }
}

// ---------------------------------------------------------------------------
// Functions

/** A function or coroutine function of the program; `start` comes from the interpreter. */
export class PyFunction implements ProgramFunction {
  constructor(
    readonly kind: 'function' | 'coroutine' | 'generator',
    readonly name: string,
    private readonly starter: (args: PyValue[], kwargs: Kwargs) => BodyRun,
    /** Where the compiled program defines it (see ProgramFunction.code). */
    readonly code?: { readonly filename: string; readonly firstlineno: number },
  ) {}
  start(args: PyValue[], kwargs: Kwargs): BodyRun {
    return this.starter(args, kwargs);
  }
}

/**
 * A builtin function (`len`) or a bound method of a value of the interpreter
 * (`results.append`). It is a ProgramFunction too, so that it can be handed to
 * the implementation as a callback (`fut.add_done_callback(results.append)`).
 */
export class PyBuiltin implements ProgramFunction {
  readonly kind = 'function' as const;
  constructor(
    readonly name: string,
    readonly impl: (args: PyValue[], kwargs: Kwargs) => BodyRun,
    /** The object a method is bound to (`__self__`), absent for a plain builtin. */
    readonly self?: PyValue,
    /** For builtin types (`int`, `str`): what isinstance checks. */
    readonly isType?: (v: PyValue) => boolean,
  ) {}
  start(args: PyValue[], kwargs: Kwargs): BodyRun {
    return this.impl(args, kwargs);
  }
}

// ---------------------------------------------------------------------------
// Type tests

export const isInt = (v: PyValue): v is bigint | boolean => typeof v === 'bigint' || typeof v === 'boolean';
export const isFloat = (v: PyValue): v is number => typeof v === 'number';
export const isNumber = (v: PyValue): v is bigint | boolean | number =>
  typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'number';
export const isStr = (v: PyValue): v is string => typeof v === 'string';

/** int value of an int or bool. */
export const toBig = (v: bigint | boolean): bigint => (typeof v === 'boolean' ? (v ? 1n : 0n) : v);

/** Whether the value belongs to the interpreter (as opposed to an opaque object of the implementation). */
export function isOwnValue(v: PyValue): boolean {
  return (
    v === null ||
    (typeof v !== 'object' && typeof v !== 'function') ||
    v instanceof PyList ||
    v instanceof PyTuple ||
    v instanceof PyDict ||
    v instanceof PyRange ||
    v instanceof PyDictView ||
    v instanceof PySet ||
    v instanceof PyFunction ||
    v instanceof PyBuiltin
  );
}

/** `type(v).__name__` for the interpreter's own values; undefined for implementation objects. */
export function ownTypeName(v: PyValue): string | undefined {
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
  }
  if (v === null) return 'NoneType';
  if (v instanceof PyList) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PyRange) return 'range';
  if (v instanceof PyDictView) return `dict_${v.kind}`;
  if (v instanceof PySet) return 'set';
  if (v instanceof PyFunction) return 'function';
  if (v instanceof PyBuiltin) return v.isType ? 'type' : 'builtin_function_or_method';
  return undefined;
}

// ---------------------------------------------------------------------------
// Hashing (dict keys)

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

/** A stable number per object, standing in for CPython's `id()`. */
export function identity(o: object): number {
  let id = identities.get(o);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(o, id);
  }
  return id;
}

/** A string equal for exactly the keys Python's dict considers the same. */
export function hashKey(v: PyValue, ctx?: PyContext): string {
  switch (typeof v) {
    case 'bigint':
      return `i${v}`;
    case 'boolean':
      return v ? 'i1' : 'i0';
    case 'number':
      if (Number.isInteger(v)) return `i${BigInt(v)}`;
      return `f${v}`;
    case 'string':
      return `s${v}`;
  }
  if (v === null) return 'N';
  if (v instanceof PyTuple) return `t(${v.items.map((x) => hashKey(x, ctx)).join(',')})`;
  if (v instanceof PyList || v instanceof PyDict || v instanceof PyDictView || v instanceof PySet) {
    if (ctx) ctx.raise('TypeError', `unhashable type: '${ownTypeName(v)}'`);
    throw new TypeError(`unhashable type: '${ownTypeName(v)}'`);
  }
  if (v instanceof PyRange) return `r${v.start},${v.stop},${v.step}`;
  if (typeof v === 'object' || typeof v === 'function') return `o${identity(v as object)}`;
  return `?${String(v)}`;
}

// ---------------------------------------------------------------------------
// Truthiness, equality, ordering

/** Python truth value of the interpreter's own values; undefined for implementation objects. */
export function ownTruthy(v: PyValue): boolean | undefined {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0;
    case 'string':
      return v.length > 0;
  }
  if (v === null) return false;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict) return v.size > 0;
  if (v instanceof PyDictView) return v.dict.size > 0;
  if (v instanceof PySet) return v.size > 0;
  if (v instanceof PyRange) return v.length > 0;
  if (v instanceof PyFunction || v instanceof PyBuiltin) return true;
  return undefined;
}

/** Exact comparison of two numbers of any of int/bool/float: -1, 0, 1, or NaN when unordered. */
export function numCompare(a: bigint | boolean | number, b: bigint | boolean | number): number {
  if (typeof a === 'boolean') a = toBig(a);
  if (typeof b === 'boolean') b = toBig(b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  // Mixed int and float: compare exactly, as CPython does (no rounding of the int).
  if (typeof a === 'number') return -numCompare(b, a);
  const i = a as bigint;
  const f = b as number;
  if (Number.isNaN(f)) return NaN;
  if (f === Infinity) return -1;
  if (f === -Infinity) return 1;
  const fl = Math.floor(f);
  const bf = BigInt(fl);
  if (i < bf) return -1;
  if (i > bf) return 1;
  return fl === f ? 0 : -1;
}

/** Python `a == b` for the values whose equality is structural; identity otherwise. */
export function pyEq(a: PyValue, b: PyValue): boolean {
  if (a === b) return !(typeof a === 'number' && Number.isNaN(a));
  if (isNumber(a) && isNumber(b)) return numCompare(a, b) === 0;
  if (a instanceof PyList && b instanceof PyList) return seqEq(a.items, b.items);
  if (a instanceof PyTuple && b instanceof PyTuple) return seqEq(a.items, b.items);
  if (a instanceof PyRange && b instanceof PyRange) {
    const n = a.length;
    if (n !== b.length) return false;
    if (n === 0) return true;
    if (a.start !== b.start) return false;
    return n === 1 || a.step === b.step;
  }
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a.entries()) {
      if (!b.has(k)) return false;
      if (!pyEq(v, b.get(k))) return false;
    }
    return true;
  }
  if (a instanceof PySet && b instanceof PySet) {
    return a.size === b.size && a.items().every((x) => b.has(x));
  }
  return false;
}

function seqEq(a: readonly PyValue[], b: readonly PyValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    // Python's sequence comparison tries identity first (so [nan] == [nan] when it is the same object).
    if (a[i] !== b[i] && !pyEq(a[i], b[i])) return false;
  }
  return true;
}

/** Compares strings by code point, as Python does (JS `<` compares UTF-16 units). */
export function strCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export type CompareOp = 'lt' | 'le' | 'gt' | 'ge';
const OP_SYMBOL: Record<CompareOp, string> = { lt: '<', le: '<=', gt: '>', ge: '>=' };

/** Python `a < b` (and friends). Raises TypeError for unordered types. */
export function pyCompare(op: CompareOp, a: PyValue, b: PyValue, ctx: PyContext): boolean {
  const c = order(op, a, b, ctx);
  if (Number.isNaN(c)) return false;
  switch (op) {
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
  }
}

function order(op: CompareOp, a: PyValue, b: PyValue, ctx: PyContext): number {
  if (isNumber(a) && isNumber(b)) return numCompare(a, b);
  if (isStr(a) && isStr(b)) return strCompare(a, b);
  if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
    const x = a.items;
    const y = b.items;
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      if (x[i] === y[i] || pyEq(x[i], y[i])) continue;
      // The first differing items decide, with the operator itself (so NaN stays unordered).
      return pyCompare(op, x[i], y[i], ctx) === (op === 'lt' || op === 'le') ? -1 : 1;
    }
    return x.length - y.length;
  }
  return ctx.raise(
    'TypeError',
    `'${OP_SYMBOL[op]}' not supported between instances of '${ctx.typeName(a)}' and '${ctx.typeName(b)}'`,
  );
}

/** The "less than" used by `sorted`, `min`, `max`, `list.sort`. */
export function pyLess(a: PyValue, b: PyValue, ctx: PyContext): boolean {
  return pyCompare('lt', a, b, ctx);
}

/** Python `a is b`. Equal ints, floats and strs count as identical: the interpreter does not model object identity of immutable values. */
export function pyIs(a: PyValue, b: PyValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b;
  return a === b;
}

// ---------------------------------------------------------------------------
// Strings by code point (Python indexes code points, JS UTF-16 units)

const SURROGATE = /[\uD800-\uDFFF]/;

export function codePoints(s: string): string[] {
  return SURROGATE.test(s) ? Array.from(s) : s.split('');
}
export function strLen(s: string): number {
  return SURROGATE.test(s) ? Array.from(s).length : s.length;
}

// ---------------------------------------------------------------------------
// Arithmetic

export type ArithOp = 'add' | 'sub' | 'mul' | 'div' | 'floordiv' | 'mod' | 'pow';
const ARITH_SYMBOL: Record<ArithOp, string> = {
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
  floordiv: '//',
  mod: '%',
  pow: '** or pow()',
};

function unsupported(op: ArithOp, a: PyValue, b: PyValue, ctx: PyContext): never {
  return ctx.raise(
    'TypeError',
    `unsupported operand type(s) for ${ARITH_SYMBOL[op]}: '${ctx.typeName(a)}' and '${ctx.typeName(b)}'`,
  );
}

/** int → float as Python does it (OverflowError when out of range). */
export function intToFloat(i: bigint | boolean, ctx: PyContext): number {
  const f = Number(toBig(i));
  if (!Number.isFinite(f)) ctx.raise('OverflowError', 'int too large to convert to float');
  return f;
}

function asFloat(v: bigint | boolean | number, ctx: PyContext): number {
  return typeof v === 'number' ? v : intToFloat(v, ctx);
}

/** Python floor division of ints (rounds toward negative infinity). */
export function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}
/** Python `%` of ints (result has the sign of the divisor). */
export function modBig(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

/** CPython's float_divmod: [floor quotient, remainder]. */
export function floatDivmod(vx: number, wx: number): [number, number] {
  let mod = vx % wx; // fmod
  let div = (vx - mod) / wx;
  if (mod !== 0) {
    // (C truth: NaN counts as non-zero.)
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1.0;
    }
  } else {
    mod = wx < 0 || Object.is(wx, -0) ? -0 : 0; // copysign(0.0, wx)
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    const q = vx / wx;
    floordiv = q < 0 || Object.is(q, -0) ? -0 : 0; // copysign(0.0, vx / wx)
  }
  return [floordiv, mod];
}

/** Correctly rounded int / int, as CPython's long_true_divide. */
export function intTrueDivide(a: bigint, b: bigint, ctx: PyContext): number {
  const LIMIT = 1n << 53n;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  if (abs(a) <= LIMIT && abs(b) <= LIMIT) return Number(a) / Number(b);
  const neg = (a < 0n) !== (b < 0n);
  let n = abs(a);
  const d = abs(b);
  // Scale so the quotient has at least 55 significant bits, then round once (ties to even) at 53.
  const shift = BigInt(Math.max(0, 55 - (n.toString(2).length - d.toString(2).length)));
  n <<= shift;
  let q = n / d;
  const sticky = n % d !== 0n;
  const qbits = q.toString(2).length;
  const extra = BigInt(qbits - 53);
  if (extra > 0n) {
    const mask = (1n << extra) - 1n;
    const rem = q & mask;
    const half = 1n << (extra - 1n);
    q >>= extra;
    if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) q += 1n;
  }
  const exp = Number(extra) - Number(shift);
  const r = Number(q) * 2 ** Math.trunc(exp / 2) * 2 ** (exp - Math.trunc(exp / 2));
  if (!Number.isFinite(r)) ctx.raise('OverflowError', 'integer division result too large for a float');
  return neg ? -r : r;
}

function zeroDivision(ctx: PyContext, msg: string): never {
  return ctx.raise('ZeroDivisionError', msg);
}

/** Python `a <op> b` for the arithmetic operators. */
export function arith(op: ArithOp, a: PyValue, b: PyValue, ctx: PyContext): PyValue {
  if (isNumber(a) && isNumber(b)) return numArith(op, a, b, ctx);
  switch (op) {
    case 'add':
      if (isStr(a)) {
        if (isStr(b)) return a + b;
        return ctx.raise('TypeError', `can only concatenate str (not "${ctx.typeName(b)}") to str`);
      }
      if (a instanceof PyList) {
        if (b instanceof PyList) return new PyList([...a.items, ...b.items]);
        return ctx.raise('TypeError', `can only concatenate list (not "${ctx.typeName(b)}") to list`);
      }
      if (a instanceof PyTuple) {
        if (b instanceof PyTuple) return new PyTuple([...a.items, ...b.items]);
        return ctx.raise('TypeError', `can only concatenate tuple (not "${ctx.typeName(b)}") to tuple`);
      }
      break;
    case 'mul': {
      const seq = isSeq(a) ? a : isSeq(b) ? b : undefined;
      if (seq !== undefined) {
        const n = seq === a ? b : a;
        if (!isInt(n)) {
          return ctx.raise('TypeError', `can't multiply sequence by non-int of type '${ctx.typeName(n)}'`);
        }
        return repeat(seq, Number(toBig(n)));
      }
      break;
    }
    case 'mod':
      if (isStr(a)) return ctx.raise('TypeError', 'printf-style formatting (str % args) is not supported by aiospec');
      break;
  }
  return unsupported(op, a, b, ctx);
}

function isSeq(v: PyValue): v is string | PyList | PyTuple {
  return isStr(v) || v instanceof PyList || v instanceof PyTuple;
}

function repeat(seq: string | PyList | PyTuple, n: number): PyValue {
  if (n < 0) n = 0;
  if (isStr(seq)) return seq.repeat(n);
  const out: PyValue[] = [];
  for (let i = 0; i < n; i++) out.push(...seq.items);
  return seq instanceof PyList ? new PyList(out) : new PyTuple(out);
}

function numArith(op: ArithOp, a: bigint | boolean | number, b: bigint | boolean | number, ctx: PyContext): PyValue {
  if (typeof a !== 'number' && typeof b !== 'number') {
    const x = toBig(a);
    const y = toBig(b);
    switch (op) {
      case 'add':
        return x + y;
      case 'sub':
        return x - y;
      case 'mul':
        return x * y;
      case 'div':
        if (y === 0n) zeroDivision(ctx, 'division by zero');
        return intTrueDivide(x, y, ctx);
      case 'floordiv':
        if (y === 0n) zeroDivision(ctx, 'integer division or modulo by zero');
        return floorDivBig(x, y);
      case 'mod':
        // Measured: 'integer division or modulo by zero' up to 3.10, 'integer modulo by zero' from 3.11.
        if (y === 0n) zeroDivision(ctx, ctx.minor >= 11 ? 'integer modulo by zero' : 'integer division or modulo by zero');
        return modBig(x, y);
      case 'pow':
        if (y >= 0n) return x ** y;
        if (x === 0n) zeroDivision(ctx, '0.0 cannot be raised to a negative power');
        return floatPow(intToFloat(x, ctx), intToFloat(y, ctx), ctx);
    }
  }
  const x = asFloat(a, ctx);
  const y = asFloat(b, ctx);
  switch (op) {
    case 'add':
      return x + y;
    case 'sub':
      return x - y;
    case 'mul':
      return x * y;
    case 'div':
      if (y === 0) zeroDivision(ctx, 'float division by zero');
      return x / y;
    case 'floordiv':
      // Measured: 'float divmod()' on 3.7/3.8, 'float floor division by zero' from 3.9.
      if (y === 0) zeroDivision(ctx, ctx.minor >= 9 ? 'float floor division by zero' : 'float divmod()');
      return floatDivmod(x, y)[0];
    case 'mod':
      // Measured: 'float modulo' up to 3.12, 'float modulo by zero' from 3.13.
      if (y === 0) zeroDivision(ctx, ctx.minor >= 13 ? 'float modulo by zero' : 'float modulo');
      return floatDivmod(x, y)[1];
    case 'pow':
      return floatPow(x, y, ctx);
  }
}

/** CPython's float_pow, for the cases that stay real. */
export function floatPow(x: number, y: number, ctx: PyContext): number {
  if (y === 0) return 1.0;
  if (Number.isNaN(x)) return x;
  if (x === 1.0) return 1.0; // C pow: 1**y is 1 even for inf and nan
  if (Number.isNaN(y)) return y;
  if (x === 0 && y < 0 && Number.isFinite(y)) zeroDivision(ctx, '0.0 cannot be raised to a negative power');
  if (x < 0 && Number.isFinite(x) && Number.isFinite(y) && !Number.isInteger(y)) {
    return ctx.raise('TypeError', 'aiospec: a negative float to a fractional power gives a complex number, which is not modelled');
  }
  if (x === -1 && !Number.isFinite(y)) return 1.0;
  const r = Number.isInteger(y) && Math.abs(y) <= 4096 && Number.isFinite(x) && x !== 0 ? exactIntPow(x, y) : Math.pow(x, y);
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
    ctx.raise('OverflowError', 34n, 'Numerical result out of range');
  }
  return r;
}

/**
 * x ** n for an integral n, correctly rounded from the exact value (as
 * glibc's pow is; V8's Math.pow can be off by an ulp). Fractional exponents
 * still use Math.pow: a known source of last-digit differences.
 */
function exactIntPow(x: number, n: number): number {
  const { m, e } = decompose(x);
  const k = Math.abs(n);
  // |x|^k = m^k * 2^(e*k), exactly.
  let num = m ** BigInt(k);
  let den = 1n;
  const shift = e * k;
  if (shift >= 0) num <<= BigInt(shift);
  else den <<= BigInt(-shift);
  if (n < 0) [num, den] = [den, num];
  const bits = num.toString(2).length - den.toString(2).length;
  // Near overflow or in the subnormal range, leave it to Math.pow.
  if (bits > 1020 || bits < -1020) return Math.pow(x, n);
  let r: number;
  try {
    r = intTrueDivide(num, den, { raise: () => { throw new RangeError(); } } as unknown as PyContext);
  } catch {
    r = Infinity;
  }
  return x < 0 && k % 2 === 1 ? -r : r;
}

/** Python unary `-x`. */
export function negate(v: PyValue, ctx: PyContext): PyValue {
  if (typeof v === 'number') return -v;
  if (isInt(v)) return -toBig(v);
  return ctx.raise('TypeError', `bad operand type for unary -: '${ctx.typeName(v)}'`);
}

/** Python `divmod(a, b)` for numbers. */
export function divmod(a: PyValue, b: PyValue, ctx: PyContext): PyTuple {
  if (isInt(a) && isInt(b)) {
    const x = toBig(a);
    const y = toBig(b);
    if (y === 0n) zeroDivision(ctx, 'integer division or modulo by zero');
    return new PyTuple([floorDivBig(x, y), modBig(x, y)]);
  }
  if (isNumber(a) && isNumber(b)) {
    const x = asFloat(a, ctx);
    const y = asFloat(b, ctx);
    if (y === 0) zeroDivision(ctx, 'float divmod()');
    return new PyTuple(floatDivmod(x, y));
  }
  return ctx.raise(
    'TypeError',
    `unsupported operand type(s) for divmod(): '${ctx.typeName(a)}' and '${ctx.typeName(b)}'`,
  );
}
