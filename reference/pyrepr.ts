/**
 * CPython's repr() of a str (unicode_repr) and of a float (float_repr), and
 * round(float, n), as pure functions. The reference runtime renders results and reprs with them,
 * and the harness's interpreter renders printed values with them; the
 * interpreter's tests check both against what real python3 prints.
 */

/** Code points Python's repr() escapes: categories Cc Cf Cs Co Cn Zl Zp Zs, except the space. */
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
const NEEDS_ESCAPE = /[^\x20-\x7e]|['\\]/;

/** `repr(s)` for a str. */
export function strRepr(s: string): string {
  // Single quotes unless the text holds a ' and no ".
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  if (!NEEDS_ESCAPE.test(s) && !s.includes(quote)) return quote + s + quote;
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + hex(c, 2);
    else if (c < 0x7f) out += ch;
    else if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) out += '\\u' + hex(c, 4); // lone surrogate
    else if (!NOT_PRINTABLE.test(ch)) out += ch;
    else if (c <= 0xff) out += '\\x' + hex(c, 2);
    else if (c <= 0xffff) out += '\\u' + hex(c, 4);
    else out += '\\U' + hex(c, 8);
  }
  return out + quote;
}

function hex(c: number, width: number): string {
  return c.toString(16).padStart(width, '0');
}

// ---------------------------------------------------------------------------
// float

/** `repr(x)` / `str(x)` of a Python float. */
export function reprFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const { sign, digits, exp } = shortest(x);
  // float_repr_style 'short': exponent notation when exp < -4 or exp >= 16.
  return sign + layout(digits, exp, -4 <= exp && exp < 16, true);
}

/** Shortest round-trip digits of |x| (x finite, non-zero) and the decimal exponent of the first one. */
export function shortest(x: number): { sign: string; digits: string; exp: number } {
  const [mant, e] = x.toExponential().split('e');
  const sign = mant.startsWith('-') ? '-' : '';
  return { sign, digits: mant.replace('-', '').replace('.', ''), exp: Number(e) };
}

/**
 * Lays out significant `digits` whose first digit has decimal exponent `exp`.
 * `fixed` chooses positional notation; `dot0` adds `.0` to an integral result.
 */
export function layout(digits: string, exp: number, fixed: boolean, dot0: boolean): string {
  if (fixed) {
    if (exp < 0) return '0.' + '0'.repeat(-exp - 1) + digits;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    return frac ? `${intPart}.${frac}` : dot0 ? `${intPart}.0` : intPart;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${m}e${exponent(exp)}`;
}

/** `+05`, `-07`, `+100`: at least two digits, always a sign. */
export function exponent(exp: number): string {
  return (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
}

// ---------------------------------------------------------------------------
// Exact decimal rounding

/** |x| = m * 2^e exactly (x finite). */
export function decompose(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (bexp === 0) return { m: frac, e: -1074 };
  return { m: frac | (1n << 52n), e: bexp - 1075 };
}

const POW10: bigint[] = [];
/** 10^n as a bigint (cached). */
export function pow10(n: number): bigint {
  return (POW10[n] ??= 10n ** BigInt(n));
}

/** round(|x| * 10^p) to an integer, ties to even, from the exact binary value of x. */
export function scaledRound(x: number, p: number): bigint {
  const { m, e } = decompose(x);
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (p >= 0) num *= pow10(p);
  else den *= pow10(-p);
  let q = num / den;
  const twice = (num % den) * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  return q;
}

/** Python `round(x, ndigits)` for a float: correctly rounded, ties to even. */
export function roundFloat(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > 330) return x;
  if (ndigits < -330) return 0 * Math.sign(x);
  const n = scaledRound(x, ndigits);
  const text = ndigits >= 0 ? `${n}e-${ndigits}` : `${n}e${-ndigits}`;
  const r = Number(text);
  return x < 0 ? -r : r;
}
