/**
 * Float to text, digit for digit as CPython does it.
 *
 * `repr(float)` is the shortest string that round-trips (JS computes the
 * same digits; only the layout differs). Fixed and exponent formats with a
 * precision (`.2f`, `e`, `g`, `round(x, n)`) are rounded from the exact
 * binary value, ties to even, like CPython's dtoa; JS `toFixed` rounds ties
 * away from zero and stops at 1e21, so it is not used.
 */

// repr(float) and the digit layout it shares with the format specs below are
// pure functions kept in one place for the harness and the reference.
import { exponent, layout, reprFloat, shortest } from '../../reference/pyrepr';
export { exponent, layout, reprFloat, shortest };

// ---------------------------------------------------------------------------
// Exact decimal rounding

/** |x| = m * 2^e exactly (x finite). */
function decompose(x: number): { m: bigint; e: number } {
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
function pow10(n: number): bigint {
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

/** |x| with `prec` digits after the point (x finite): `[intPart, fracPart]`. */
export function fixedDigits(x: number, prec: number): [string, string] {
  const s = scaledRound(x, prec).toString().padStart(prec + 1, '0');
  return [s.slice(0, s.length - prec), s.slice(s.length - prec)];
}

/** |x| rounded to `prec + 1` significant digits (x finite): the digits and the exponent of the first. */
export function expDigits(x: number, prec: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(prec + 1), exp: 0 };
  let exp = Math.floor(Math.log10(Math.abs(x)));
  for (;;) {
    const n = scaledRound(x, prec - exp);
    if (n >= pow10(prec + 1)) exp++;
    else if (n < pow10(prec)) exp--;
    else return { digits: n.toString(), exp };
  }
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
