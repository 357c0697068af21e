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
// So is the exact decimal rounding (round(x, n) is also the reference's Timeout repr).
import { exponent, layout, pow10, reprFloat, roundFloat, scaledRound, shortest } from '../../reference/pyrepr';
export { exponent, layout, reprFloat, roundFloat, scaledRound, shortest };

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
