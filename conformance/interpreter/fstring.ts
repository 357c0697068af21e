/**
 * f-strings (`{f: "..."}`) and Python's format-spec mini-language.
 *
 * A replacement field holds a *reference*, not an expression: a name, then
 * any number of `.attr`, `[index]` and `()` (a call with no arguments), then
 * an optional `=` (3.8+ self-documenting form), `!r`/`!s`/`!a`, and `:spec`
 * (which may itself contain `{name}` fields). Nothing is evaluated as code.
 *
 * `formatValue` is `format(value, spec)` for int, bool, float and str; other
 * values accept only the empty spec, as `object.__format__` does.
 */
import type { PyValue } from '../adapters/adapter';
import { exponent, expDigits, fixedDigits, layout, shortest } from './floatformat';
import { FieldNode, FieldSyntaxError, parseFieldExpr } from './fieldexpr';
import { PyContext, codePoints, intToFloat, isFloat, isInt, isStr, strLen, toBig } from './values';

// ---------------------------------------------------------------------------
// f-string templates

/** One step of a `str.format` field reference after its name. */
export type Accessor = { attr: string } | { index: PyValue } | { call: true };

export interface FieldRef {
  name: string;
  path: Accessor[];
}

/** What rendering needs from the interpreter; `evaluate` may suspend (a field can call a function). */
export interface FieldHost {
  ctx: PyContext;
  evaluate(node: FieldNode): Generator<unknown, PyValue, PyValue>;
  str(v: PyValue): string;
  repr(v: PyValue): string;
}

/** The synchronous host the tests and `str.format` use: names and accessors only. */
export interface TemplateHost {
  ctx: PyContext;
  lookup(name: string): PyValue;
  access(obj: PyValue, step: Accessor): PyValue;
  str(v: PyValue): string;
  repr(v: PyValue): string;
}

type Field = { node: FieldNode; text: string; conv?: 'r' | 's' | 'a'; spec: Part[]; debug: boolean };
type Part = string | Field;

const parsedTemplates = new Map<string, Part[]>();

/** Parses an f-string template once (fields are expressions, see fieldexpr.ts). */
export function parseFString(template: string): Part[] {
  let parts = parsedTemplates.get(template);
  if (!parts) {
    parts = parseTemplate(template, 0, (src) => parseFieldExpr(src));
    parsedTemplates.set(template, parts);
  }
  return parts;
}

/** Renders parsed parts; each field is evaluated by the host, in order. */
export function* renderTemplate(parts: Part[], host: FieldHost): Generator<unknown, string, PyValue> {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    let v = yield* host.evaluate(p.node);
    const spec = yield* renderTemplate(p.spec, host);
    if (p.debug) out += p.text;
    // `{x=}` without conversion or spec shows the repr.
    const conv = p.conv ?? (p.debug && spec === '' ? 'r' : undefined);
    if (conv === 'r') v = host.repr(v);
    else if (conv === 's') v = host.str(v);
    else if (conv === 'a') v = ascii(host.repr(v));
    out += formatValue(v, spec, host.ctx, host.str);
  }
  return out;
}

/** Evaluates a field with names and accessors only, synchronously (no calls that suspend). */
function syncHost(host: TemplateHost): FieldHost {
  const evaluate = (node: FieldNode): PyValue => {
    switch (node.k) {
      case 'name':
        return host.lookup(node.id);
      case 'const':
        return node.v;
      case 'attr':
        return host.access(evaluate(node.obj), { attr: node.name });
      case 'item':
        return host.access(evaluate(node.obj), { index: evaluate(node.index) });
      case 'call':
        if (node.args.length === 0) return host.access(evaluate(node.fn), { call: true });
    }
    throw new FieldSyntaxError(`this context only supports names, .attr, [index] and () in fields`);
  };
  return {
    ctx: host.ctx,
    str: host.str,
    repr: host.repr,
    *evaluate(node) {
      return evaluate(node);
    },
  };
}

/** Runs a generator that must not suspend. */
function runSync<T>(gen: Generator<unknown, T, PyValue>): T {
  const r = gen.next();
  if (!r.done) throw new FieldSyntaxError('a format field must not suspend');
  return r.value;
}

/** Renders an f-string template whose fields are references (names, .attr, [index], ()). */
export function renderFString(template: string, host: TemplateHost): string {
  return runSync(renderTemplate(parseFString(template), syncHost(host)));
}

/** Parses a template; `depth` 1 is inside a format spec, where fields cannot nest further. */
function parseTemplate(t: string, depth: number, parseNode: (src: string) => FieldNode): Part[] {
  const parts: Part[] = [];
  let lit = '';
  let i = 0;
  while (i < t.length) {
    const c = t[i];
    if (c === '{') {
      if (t[i + 1] === '{' && depth === 0) {
        lit += '{';
        i += 2;
        continue;
      }
      const end = matchingBrace(t, i);
      if (lit) parts.push(lit);
      lit = '';
      parts.push(parseField(t.slice(i + 1, end), depth, parseNode));
      i = end + 1;
    } else if (c === '}') {
      if (t[i + 1] === '}' && depth === 0) {
        lit += '}';
        i += 2;
        continue;
      }
      throw new FieldSyntaxError("f-string: single '}' is not allowed");
    } else {
      lit += c;
      i++;
    }
  }
  if (lit) parts.push(lit);
  return parts;
}

function matchingBrace(t: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < t.length; i++) {
    const c = t[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  throw new FieldSyntaxError("f-string: expecting '}'");
}

function parseField(body: string, depth: number, parseNode: (src: string) => FieldNode): Part {
  if (depth > 0 && body.includes('{')) throw new FieldSyntaxError('f-string: expressions nested too deeply');
  // The reference ends at the first '!' or ':' outside brackets and quotes.
  let i = 0;
  let bracket = 0;
  let quote = '';
  for (; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') bracket++;
    else if (c === ']' || c === ')') bracket--;
    else if (bracket === 0 && (c === ':' || (c === '!' && body[i + 1] !== '='))) break;
  }
  let refText = body.slice(0, i).trim();
  let debug = false;
  if (refText.endsWith('=')) {
    debug = true;
    refText = refText.slice(0, -1).trimEnd();
  }
  let conv: 'r' | 's' | 'a' | undefined;
  let rest = body.slice(i);
  if (rest.startsWith('!')) {
    const letter = rest[1];
    if (letter !== 'r' && letter !== 's' && letter !== 'a') {
      throw new FieldSyntaxError("f-string: invalid conversion character: expected 's', 'r', or 'a'");
    }
    conv = letter;
    rest = rest.slice(2);
  }
  let spec: Part[] = [];
  if (rest.startsWith(':')) spec = parseTemplate(rest.slice(1), depth + 1, parseNode);
  else if (rest !== '') throw new FieldSyntaxError("f-string: expecting '}'");
  return { node: parseNode(refText), text: body.slice(0, i), conv, spec, debug };
}

const IDENT = /^[A-Za-z_][A-Za-z_0-9]*/;

/** `name.attr[0]['k']()` → name and accessors. */
export function parseRef(text: string): FieldRef {
  const m = IDENT.exec(text);
  if (!m) throw new FieldSyntaxError(`format field '${text}' is not a name with .attr, [index] and ()`);
  const path: Accessor[] = [];
  let i = m[0].length;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const a = IDENT.exec(text.slice(i + 1));
      if (!a) break;
      path.push({ attr: a[0] });
      i += 1 + a[0].length;
    } else if (c === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) break;
      path.push({ index: parseIndex(text.slice(i + 1, close).trim()) });
      i = close + 1;
    } else if (text.startsWith('()', i)) {
      path.push({ call: true });
      i += 2;
    } else break;
  }
  if (i < text.length) {
    throw new FieldSyntaxError(`format field '${text}' is not a name with .attr, [index] and ()`);
  }
  return { name: m[0], path };
}

/** A `str.format` reference as a field expression. */
function refNode(ref: FieldRef): FieldNode {
  let node: FieldNode = { k: 'name', id: ref.name };
  for (const step of ref.path) {
    if ('attr' in step) node = { k: 'attr', obj: node, name: step.attr };
    else if ('index' in step) node = { k: 'item', obj: node, index: { k: 'const', v: step.index } };
    else node = { k: 'call', fn: node, args: [], kwargs: [] };
  }
  return node;
}

/** `0` → int, `-1` → int, `'k'` / `"k"` → str; a bare word is a str, as in `str.format`. */
function parseIndex(s: string): PyValue {
  if (/^-?\d+$/.test(s)) return BigInt(s);
  if (/^'.*'$|^".*"$/.test(s)) return s.slice(1, -1);
  return s;
}

/** `ascii()` from a repr: non-ASCII escaped. */
function ascii(r: string): string {
  let out = '';
  for (const ch of r) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out += ch;
    else if (c <= 0xff) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c <= 0xffff) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out;
}

// ---------------------------------------------------------------------------
// The format-spec mini-language

export interface Spec {
  fill: string;
  align: '<' | '>' | '^' | '=' | '';
  sign: '+' | '-' | ' ' | '';
  z: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: ',' | '_' | '';
  precision: number; // -1: none
  type: string;
}

const SPEC = /^(?:(.)?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([a-zA-Z%])?$/su;

export function parseSpec(spec: string, ctx: PyContext): Spec {
  const m = SPEC.exec(spec);
  if (!m) return ctx.raise('ValueError', 'Invalid format specifier');
  const [, fill, align, sign, z, alt, zero, width, grouping, precision, type] = m;
  if (z && ctx.minor < 11) ctx.raise('ValueError', 'Invalid format specifier');
  return {
    fill: fill ?? '',
    align: (align ?? '') as Spec['align'],
    sign: (sign ?? '') as Spec['sign'],
    z: !!z,
    alt: !!alt,
    zero: !!zero,
    width: width ? Number(width) : 0,
    grouping: (grouping ?? '') as Spec['grouping'],
    precision: precision !== undefined ? Number(precision) : -1,
    type: type ?? '',
  };
}

/** Python `format(value, spec)`. `str` renders values that only take an empty spec. */
export function formatValue(v: PyValue, spec: string, ctx: PyContext, str: (v: PyValue) => string): string {
  if (isStr(v)) return spec === '' ? v : formatStr(v, parseSpec(spec, ctx), ctx);
  if (typeof v === 'boolean' && spec === '') return v ? 'True' : 'False';
  if (isInt(v)) return formatInt(toBig(v), parseSpec(spec, ctx), ctx, ctx.typeName(v));
  if (isFloat(v)) return formatFloat(v, parseSpec(spec, ctx), ctx);
  if (spec === '') return str(v);
  return ctx.raise('TypeError', `unsupported format string passed to ${ctx.typeName(v)}.__format__`);
}

function unknownCode(type: string, typeName: string, ctx: PyContext): never {
  return ctx.raise('ValueError', `Unknown format code '${type}' for object of type '${typeName}'`);
}

function formatStr(s: string, spec: Spec, ctx: PyContext): string {
  if (spec.type !== '' && spec.type !== 's') unknownCode(spec.type, 'str', ctx);
  if (spec.sign === ' ') ctx.raise('ValueError', 'Space not allowed in string format specifier');
  if (spec.sign) ctx.raise('ValueError', 'Sign not allowed in string format specifier');
  if (spec.z) ctx.raise('ValueError', 'Negative zero coercion (z) not allowed in string format specifier');
  if (spec.alt) ctx.raise('ValueError', 'Alternate form (#) not allowed in string format specifier');
  if (spec.grouping) ctx.raise('ValueError', `Cannot specify '${spec.grouping}' with 's'.`);
  if (spec.zero && !spec.align) {
    // Before 3.10 the `0` flag meant '=' alignment for strings too (bpo-27772 changed it to fill only).
    if (ctx.minor < 10) ctx.raise('ValueError', "'=' alignment not allowed in string format specifier");
    spec = { ...spec, fill: spec.fill || '0', align: '<' };
  }
  if (spec.align === '=') ctx.raise('ValueError', "'=' alignment not allowed in string format specifier");
  if (spec.precision >= 0 && strLen(s) > spec.precision) s = codePoints(s).slice(0, spec.precision).join('');
  return pad('', '', s, spec, '<');
}

/** Lays out sign + prefix + body in the width, with fill and alignment. */
function pad(sign: string, prefix: string, body: string, spec: Spec, defaultAlign: '<' | '>'): string {
  let fill = spec.fill || ' ';
  let align = spec.align || defaultAlign;
  if (spec.zero && !spec.fill && !spec.align) {
    fill = '0';
    align = '=';
  }
  const len = strLen(sign) + strLen(prefix) + strLen(body);
  const n = Math.max(0, spec.width - len);
  switch (align) {
    case '<':
      return sign + prefix + body + fill.repeat(n);
    case '>':
      return fill.repeat(n) + sign + prefix + body;
    case '^': {
      const left = Math.floor(n / 2);
      return fill.repeat(left) + sign + prefix + body + fill.repeat(n - left);
    }
    case '=':
      return sign + prefix + fill.repeat(n) + body;
  }
  return sign + prefix + body;
}

function signOf(negative: boolean, spec: Spec): string {
  if (negative) return '-';
  return spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
}

/** Inserts `sep` every `every` digits from the right. */
function group(digits: string, sep: string, every: number): string {
  let out = '';
  for (let i = digits.length; i > 0; i -= every) {
    const chunk = digits.slice(Math.max(0, i - every), i);
    out = out ? chunk + sep + out : chunk;
  }
  return out;
}

/**
 * Groups the integer digits; with zero padding (`0` flag, `=` alignment) the
 * padding zeros are grouped too, as CPython does (`format(1234, '010,')` is
 * `00,001,234`).
 */
function groupedInt(digits: string, spec: Spec, every: number, room: number): string {
  if (!spec.grouping) return digits;
  const zeroPad = spec.zero && !spec.fill && !spec.align;
  let g = group(digits, spec.grouping, every);
  if (zeroPad) {
    while (g.length < room) {
      digits = '0' + digits;
      g = group(digits, spec.grouping, every);
    }
  }
  return g;
}

function formatInt(i: bigint, spec: Spec, ctx: PyContext, typeName: string): string {
  const t = spec.type;
  if ('eEfFgG%'.includes(t) && t !== '') return formatFloat(intToFloat(i, ctx), spec, ctx);
  if (!['', 'd', 'n', 'b', 'o', 'x', 'X', 'c'].includes(t)) unknownCode(t, typeName, ctx);
  if (spec.z) ctx.raise('ValueError', 'Negative zero coercion (z) not allowed in integer format specifier');
  if (spec.precision >= 0) ctx.raise('ValueError', 'Precision not allowed in integer format specifier');
  if (t === 'c') {
    if (spec.sign) ctx.raise('ValueError', "Sign not allowed with integer format specifier 'c'");
    if (i < -(2n ** 63n) || i >= 2n ** 63n) ctx.raise('OverflowError', 'Python int too large to convert to C long');
    if (i < 0n || i > 0x10ffffn) ctx.raise('OverflowError', '%c arg not in range(0x110000)');
    return pad('', '', String.fromCodePoint(Number(i)), spec, '>');
  }
  if (spec.grouping === ',' && t !== '' && t !== 'd') ctx.raise('ValueError', `Cannot specify ',' with '${t}'.`);
  const neg = i < 0n;
  const abs = neg ? -i : i;
  const base = t === 'b' ? 2 : t === 'o' ? 8 : t === 'x' || t === 'X' ? 16 : 10;
  let digits = abs.toString(base);
  if (t === 'X') digits = digits.toUpperCase();
  const prefix = spec.alt && base !== 10 ? '0' + (t === 'X' ? 'X' : t) : '';
  const sign = signOf(neg, spec);
  const room = spec.width - sign.length - prefix.length;
  const body = groupedInt(digits, spec, base === 10 ? 3 : 4, room);
  return pad(sign, prefix, body, spec, '>');
}

function formatFloat(x: number, spec: Spec, ctx: PyContext): string {
  let t = spec.type;
  if (!['', 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%'].includes(t)) unknownCode(t, 'float', ctx);
  if (t === 'n') t = 'g';
  let value = t === '%' ? x * 100 : x;
  let neg = value < 0 || Object.is(value, -0);
  const upper = t === 'E' || t === 'F' || t === 'G';
  let body: string;
  if (!Number.isFinite(value)) {
    body = Number.isNaN(value) ? 'nan' : 'inf';
    if (Number.isNaN(value)) neg = false;
    if (upper) body = body.toUpperCase();
    if (t === '%') body += '%';
  } else {
    value = Math.abs(value);
    body = floatBody(value, t, spec);
    if (upper) body = body.toUpperCase();
    // `z` (3.11+): a negative zero after rounding prints as zero.
    if (neg && spec.z && /^[0.]*(?:[eE][-+]\d+)?%?$/.test(body.replace(/[,_]/g, ''))) neg = false;
  }
  const sign = signOf(neg, spec);
  if (spec.grouping && Number.isFinite(value)) {
    const m = /^(\d+)(.*)$/s.exec(body)!;
    const room = spec.width - sign.length - m[2].length;
    body = groupedInt(m[1], spec, 3, room) + m[2];
  }
  return pad(sign, '', body, spec, '>');
}

/** The digits of |x| (finite) for a float presentation type. */
function floatBody(x: number, t: string, spec: Spec): string {
  const p = spec.precision;
  switch (t) {
    case '':
      if (p < 0) {
        // repr digits, exponent at 1e16 (Py_DTSF_ADD_DOT_0).
        if (x === 0) return '0.0';
        const { digits, exp } = shortest(x);
        return layout(digits, exp, -4 <= exp && exp < 16, true);
      }
      // Like 'g', but at least one digit after the point and exponent from exp >= p - 1.
      return general(x, p === 0 ? 1 : p, spec.alt, true);
    case 'f':
    case 'F':
    case '%': {
      const [ip, fp] = fixedDigits(x, p < 0 ? 6 : p);
      const s = fp ? `${ip}.${fp}` : spec.alt ? `${ip}.` : ip;
      return t === '%' ? s + '%' : s;
    }
    case 'e':
    case 'E': {
      const prec = p < 0 ? 6 : p;
      const { digits, exp } = expDigits(x, prec);
      const m = prec > 0 ? `${digits[0]}.${digits.slice(1)}` : spec.alt ? `${digits}.` : digits;
      return `${m}e${exponent(exp)}`;
    }
    default: // 'g', 'G'
      return general(x, p < 0 ? 6 : p === 0 ? 1 : p, spec.alt, false);
  }
}

/** 'g' formatting with precision p; `dot0` is the no-type variant. */
function general(x: number, p: number, alt: boolean, dot0: boolean): string {
  const { digits, exp } = expDigits(x, p - 1);
  const fixed = -4 <= exp && exp < (dot0 ? p - 1 : p);
  let d = digits;
  if (!alt) d = d.replace(/0+$/, '') || '0';
  if (fixed) {
    // Significant digits always cover the integer part, so pad with zeros only on the right.
    let s = layout(d, exp, true, dot0);
    if (alt && !s.includes('.')) s += '.';
    return s;
  }
  let s = layout(d, exp, false, false);
  if (alt && d.length === 1) s = s.replace('e', '.e');
  return s;
}

/** `str.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, with conversion and spec. */
export function formatMethod(
  template: string,
  args: readonly PyValue[],
  kwargs: Record<string, PyValue>,
  host: Omit<TemplateHost, 'lookup'>,
): string {
  let auto = 0;
  const lookup = (name: string): PyValue => {
    if (/^\d+$/.test(name)) {
      const i = Number(name);
      if (i >= args.length) {
        host.ctx.raise(
          'IndexError',
          host.ctx.minor >= 8 ? `Replacement index ${i} out of range for positional args tuple` : 'tuple index out of range',
        );
      }
      return args[i];
    }
    if (!(name in kwargs)) host.ctx.raise('KeyError', name);
    return kwargs[name];
  };
  // Rewrite `{}` / `{:spec}` / `{!r}` to explicit indexes and `{0}` to `{__pos0}` (a name), then reuse the f-string renderer.
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    const next = template[i + 1] ?? '';
    if ((c === '{' || c === '}') && next === c) {
      out += c + c;
      i++;
    } else if (c === '{' && /[}:!\[.]/.test(next)) out += `{__pos${auto++}`;
    else if (c === '{' && /\d/.test(next)) out += '{__pos';
    else out += c;
  }
  const parts = parseTemplate(out, 0, (src) => refNode(parseRef(src)));
  return runSync(renderTemplate(parts, syncHost({ ...host, lookup: (n) => lookup(n.startsWith('__pos') ? n.slice(5) : n) })));
}

