/**
 * CPython's repr() of a str (unicode_repr), as a pure function. The
 * reference runtime renders results and reprs with it, and the harness's
 * interpreter renders printed values with it; the interpreter's tests check
 * it against what real python3 prints.
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
