/**
 * Scenario → Python source.
 *
 * `compileToPython` turns a scenario program into a readable, standalone
 * Python module that is one-to-one with the YAML: every step becomes the
 * statement ast.ts names, every expression the Python expression it names.
 * Nothing is inserted: no helper calls, no extra awaits, no extra loop
 * iterations. That module is what the CPython adapter runs, what `aiospec
 * repro` exports, and what the documentation shows.
 *
 * Module contract (conformance/python/aiospec_adapter/README.md): without a
 * `module` body the program ends with `__aiospec_result__ =
 * asyncio.run(main())`, and the adapter reports `repr(__aiospec_result__)`
 * as the outcome; with a `module` body the statements are emitted as written
 * and the outcome is `None`.
 *
 * Parenthesization follows Python's grammar, erring on the side of explicit
 * parentheses where a reader could hesitate (`(await x) + 1`, `-(-x)`,
 * nested comparisons, which Python would otherwise chain).
 */
// Literals are written exactly as repr() writes them, with the reference's repr.
import { reprFloat, strRepr } from '../../reference/pyrepr';
import {
  ASYNCIO_FUNCTIONS,
  type AsyncioFunction,
  type ElifClause,
  type ExceptClause,
  type Expr,
  type FunctionDef,
  type Param,
  type Program,
  type Scenario,
  type Step,
} from '../language/ast';

/** Compiles a scenario (or just its program) to a Python module. */
export function compileToPython(input: Scenario | Program): string {
  return compileWithLines(input).source;
}

/**
 * Where the program's nodes are in the compiled module (1-based lines), for
 * frames: CPython's coroutine reprs, `Task.get_stack()` and tracebacks show
 * `<scenario>:LINE`. Every statement the compiler emits is one line, so the
 * line of a statement is also the line of every expression in it (its
 * awaits, `yield from`s and calls); a compound statement's is its head
 * (`if ...:`, `for ...:`, `async with ...:`).
 */
export interface PythonLines {
  /** Each function's co_firstlineno: its `def` line, or its decorator's (`@asyncio.coroutine`). */
  functions: Map<FunctionDef, number>;
  /**
   * For each block of steps (a function body, a `do`/`then`/`try`/... list,
   * the module body), the line of each step, by index. A `set` step with
   * several targets is that many consecutive lines, one per target, from its line.
   */
  blocks: Map<Step[], number[]>;
  /** The `elif ...:` line of each elif clause. */
  elifs: Map<ElifClause, number>;
  /** The `except ...:` line of each except clause. */
  excepts: Map<ExceptClause, number>;
}

/**
 * {@link compileToPython} with the line of each node. The source is the
 * same, byte for byte. Given a bare Program, `scenarioHeader` (default
 * true) counts the one comment line that `compileToPython(scenario)` puts
 * first, which is what CPython runs as `<scenario>`.
 */
export function compileWithLines(
  input: Scenario | Program,
  options: { scenarioHeader?: boolean } = {},
): { source: string; lines: PythonLines } {
  const scenario = isScenario(input);
  const program = scenario ? input.program : input;
  const header = scenario ? [`# aiospec scenario ${input.id}: ${oneLine(input.title)}`] : [];
  const c = new Compiler();
  const body = c.program(program);
  const out = [...header, ...c.imports(), '', ...body];
  const offset = !scenario && options.scenarioHeader !== false ? 1 : 0;
  const lines: PythonLines = { functions: new Map(), blocks: new Map(), elifs: new Map(), excepts: new Map() };
  for (let i = 0; i < out.length; i++) {
    const text = out[i];
    if (text.charCodeAt(0) !== 0) continue;
    const end = text.indexOf(MARK_END);
    c.marks[Number(text.slice(1, end))](lines, i + 1 + offset);
    out[i] = text.slice(end + 1);
  }
  return { source: out.join('\n') + '\n', lines };
}

/** A tracked line starts with NUL, the mark's number and this; the marks are removed before anyone sees the text. */
const MARK_END = '\u0001';
type Mark = (lines: PythonLines, line: number) => void;

/** The statement the default module body consists of. */
export const DEFAULT_MODULE = '__aiospec_result__ = asyncio.run(main())';

function isScenario(x: Scenario | Program): x is Scenario {
  return typeof (x as Scenario).id === 'string' && typeof (x as Scenario).program === 'object';
}

/** `s` on one line, runs of whitespace as one space (titles in comment headers). */
export function oneLine(s: string): string {
  return String(s ?? '').replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------
// Precedence, lowest to highest (Python reference, "Operator precedence").

const enum P {
  Yield = 0, // yield from x: parenthesized everywhere but statement / assignment level
  Ternary = 1,
  Or = 2,
  And = 3,
  Not = 4,
  Compare = 5,
  BitOr = 6,
  Additive = 11,
  Multiplicative = 12,
  Unary = 13,
  Power = 14,
  Await = 15,
  Primary = 16,
  Atom = 17,
}

interface Code {
  text: string;
  prec: P;
}

const BINARY: Record<string, { op: string; prec: P }> = {
  add: { op: '+', prec: P.Additive },
  sub: { op: '-', prec: P.Additive },
  mul: { op: '*', prec: P.Multiplicative },
  div: { op: '/', prec: P.Multiplicative },
  floordiv: { op: '//', prec: P.Multiplicative },
  mod: { op: '%', prec: P.Multiplicative },
  pow: { op: '**', prec: P.Power },
  eq: { op: '==', prec: P.Compare },
  ne: { op: '!=', prec: P.Compare },
  lt: { op: '<', prec: P.Compare },
  le: { op: '<=', prec: P.Compare },
  gt: { op: '>', prec: P.Compare },
  ge: { op: '>=', prec: P.Compare },
  is: { op: 'is', prec: P.Compare },
  is_not: { op: 'is not', prec: P.Compare },
  in: { op: 'in', prec: P.Compare },
  not_in: { op: 'not in', prec: P.Compare },
};

/** Operator keys of expression forms other than binary operators and asyncio functions. */
const EXPR_KEYS = new Set([
  'float', 'str', 'name', 'tuple', 'dict', 'f', 'await', 'yield_from', 'call', 'attr', 'item',
  'slice', 'not', 'and', 'or', 'neg', 'if_else', 'comp', 'star',
]);

/** Standard modules a dotted library name may live in; the longest match is imported. */
const MODULES = [
  'asyncio', 'concurrent.futures', 'contextvars', 'functools', 'gc', 'inspect', 'io', 'logging',
  'sys', 'threading', 'time', 'traceback', 'types', 'warnings',
];

const BARE_STEPS = new Set(['pass', 'break', 'continue', 'return', 'raise']);
const INDENT = '    ';

class Compiler {
  private readonly used = new Set<string>(['asyncio']);
  /** What each numbered mark records (see compileWithLines). */
  readonly marks: Mark[] = [];

  /** Marks the first of `lines`: its line number goes to `record`. */
  private mark(lines: string[], record: Mark): string[] {
    if (lines.length > 0) {
      lines[0] = `\u0000${this.marks.length}${MARK_END}${lines[0]}`;
      this.marks.push(record);
    }
    return lines;
  }

  imports(): string[] {
    return MODULES.filter((m) => this.used.has(m)).map((m) => `import ${m}`);
  }

  program(program: Program): string[] {
    const out: string[] = [];
    // Definitions in YAML order: the loader keeps `functions` / `coroutines`
    // in the order the file wrote them, and the names inside each.
    for (const section of Object.keys(program) as (keyof Program)[]) {
      if (section !== 'functions' && section !== 'coroutines') continue;
      for (const [name, def] of Object.entries(program[section] ?? {})) {
        out.push(...this.definition(name, def, section === 'coroutines'), '');
      }
    }
    if (program.module && program.module.length > 0) out.push(...this.block(program.module, ''));
    else out.push(DEFAULT_MODULE);
    return out;
  }

  // -------------------------------------------------------------------------
  // Definitions and statements

  private definition(name: string, def: FunctionDef, coroutine: boolean): string[] {
    const params = (def.params ?? []).map((p) => this.param(p)).join(', ');
    const lines: string[] = [];
    if (coroutine && def.generator) lines.push('@asyncio.coroutine', `def ${name}(${params}):`);
    else lines.push(`${coroutine ? 'async def' : 'def'} ${name}(${params}):`);
    this.mark(lines, (l, line) => l.functions.set(def, line));
    lines.push(...this.block(def.body, INDENT));
    return lines;
  }

  private param(p: Param): string {
    if (typeof p === 'string') return variable(p);
    const [name, dflt] = Object.entries(p)[0];
    return `${variable(name)}=${this.expr(dflt as Expr, P.Ternary)}`;
  }

  private block(steps: Step[] | undefined, indent: string): string[] {
    if (!steps || steps.length === 0) return [indent + 'pass'];
    const at: number[] = new Array(steps.length).fill(0);
    return steps.flatMap((s, i) => this.mark(this.step(s, indent), (l, line) => {
      at[i] = line;
      l.blocks.set(steps, at);
    }));
  }

  private step(step: Step, ind: string): string[] {
    if (typeof step === 'string' && BARE_STEPS.has(step)) return [ind + step];
    if (isMapping(step)) {
      const s = step as Record<string, unknown>;
      const inner = ind + INDENT;
      if ('print' in s) return [ind + this.print(s)];
      if ('set' in s) {
        return Object.entries(s.set as Record<string, Expr>).map(
          ([target, value]) => `${ind}${targets(target)} = ${this.expr(value, P.Yield)}`,
        );
      }
      if ('if' in s && 'then' in s) return this.ifStep(s, ind);
      if ('for' in s && 'do' in s) {
        return [
          `${ind}for ${targets(s.for as string)} in ${this.expr(s.in as Expr, P.Ternary)}:`,
          ...this.block(s.do as Step[], inner),
          ...this.elseBlock(s.else as Step[] | undefined, ind),
        ];
      }
      if ('async_for' in s) {
        return [
          `${ind}async for ${targets(s.async_for as string)} in ${this.expr(s.in as Expr, P.Ternary)}:`,
          ...this.block(s.do as Step[], inner),
        ];
      }
      if ('while' in s) {
        return [
          `${ind}while ${this.expr(s.while as Expr, P.Ternary)}:`,
          ...this.block(s.do as Step[], inner),
          ...this.elseBlock(s.else as Step[] | undefined, ind),
        ];
      }
      if ('try' in s) return this.tryStep(s, ind);
      if ('return' in s) return [`${ind}return ${this.expr(s.return as Expr, P.Ternary)}`];
      if ('raise' in s) {
        const from = 'from' in s ? ` from ${this.expr(s.from as Expr, P.Ternary)}` : '';
        return [`${ind}raise ${this.expr(s.raise as Expr, P.Ternary)}${from}`];
      }
      if ('global' in s) return [`${ind}global ${names(s.global).join(', ')}`];
      if ('del' in s) return [`${ind}del ${names(s.del).join(', ')}`];
      if ('async_with' in s) {
        const as = s.as !== undefined ? ` as ${targets(s.as as string)}` : '';
        return [`${ind}async with ${this.expr(s.async_with as Expr, P.Ternary)}${as}:`, ...this.block(s.do as Step[], inner)];
      }
    }
    return [ind + this.expr(step as Expr, P.Yield)];
  }

  private print(s: Record<string, unknown>): string {
    const args = Array.isArray(s.print) ? (s.print as Expr[]) : [s.print as Expr];
    const parts = args.map((a) => this.expr(a, P.Ternary));
    if (s.sep !== undefined) parts.push(`sep=${this.expr(s.sep as Expr, P.Ternary)}`);
    if (s.end !== undefined) parts.push(`end=${this.expr(s.end as Expr, P.Ternary)}`);
    return `print(${parts.join(', ')})`;
  }

  private ifStep(s: Record<string, unknown>, ind: string): string[] {
    const inner = ind + INDENT;
    const out = [`${ind}if ${this.expr(s.if as Expr, P.Ternary)}:`, ...this.block(s.then as Step[], inner)];
    for (const clause of (s.elif as ElifClause[] | undefined) ?? []) {
      out.push(...this.mark([`${ind}elif ${this.expr(clause.if, P.Ternary)}:`], (l, line) => l.elifs.set(clause, line)));
      out.push(...this.block(clause.then, inner));
    }
    return [...out, ...this.elseBlock(s.else as Step[] | undefined, ind)];
  }

  private elseBlock(steps: Step[] | undefined, ind: string): string[] {
    return steps === undefined ? [] : [`${ind}else:`, ...this.block(steps, ind + INDENT)];
  }

  private tryStep(s: Record<string, unknown>, ind: string): string[] {
    const inner = ind + INDENT;
    const out = [`${ind}try:`, ...this.block(s.try as Step[], inner)];
    for (const clause of (s.except as ExceptClause[] | undefined) ?? []) {
      let head = 'except';
      if (clause.type !== undefined) {
        const types = Array.isArray(clause.type) ? clause.type : [clause.type];
        const names = types.map((t) => this.libraryName(t));
        head += ' ' + (Array.isArray(clause.type) ? `(${names.join(', ')}${names.length === 1 ? ',' : ''})` : names[0]);
      }
      if (clause.as !== undefined) head += ` as ${variable(clause.as)}`;
      out.push(...this.mark([`${ind}${head}:`], (l, line) => l.excepts.set(clause, line)));
      out.push(...this.block(clause.do, inner));
    }
    out.push(...this.elseBlock(s.else as Step[] | undefined, ind));
    if (s.finally !== undefined) out.push(`${ind}finally:`, ...this.block(s.finally as Step[], inner));
    return out;
  }

  // -------------------------------------------------------------------------
  // Expressions

  /** The expression's source, parenthesized when its precedence is below `min`. */
  expr(e: Expr, min: P): string {
    const c = this.code(e);
    return c.prec < min ? `(${c.text})` : c.text;
  }

  private code(e: Expr): Code {
    if (e === null || e === undefined) return atom('None');
    if (e === true) return atom('True');
    if (e === false) return atom('False');
    if (typeof e === 'bigint') return intLiteral(e);
    if (typeof e === 'number') return Number.isInteger(e) && !Object.is(e, -0) ? intLiteral(BigInt(e)) : floatLiteral(e);
    if (typeof e === 'string') return e.startsWith('$') ? atom(variable(e)) : atom(strRepr(e));
    if (Array.isArray(e)) return atom(`[${this.list(e)}]`);
    if (!isMapping(e)) throw new Error(`cannot compile expression ${String(e)}`);
    return this.mapping(e as Record<string, unknown>);
  }

  private mapping(m: Record<string, unknown>): Code {
    const keys = Object.keys(m);
    if ('comp' in m) return this.comprehension(m);
    if ('call' in m) return this.call(m.call as unknown[], m.kwargs as Record<string, Expr> | undefined);
    const exprKey = keys.find((k) => EXPR_KEYS.has(k) || k in BINARY);
    if (exprKey !== undefined && keys.length === 1) return this.operator(exprKey, m[exprKey]);
    const fn = asyncioOperator(keys);
    if (fn !== undefined) return this.asyncioCall(fn, m);
    if (exprKey !== undefined) return this.operator(exprKey, m[exprKey]);
    throw new Error(`cannot compile expression with keys ${keys.join(', ')}`);
  }

  private operator(key: string, v: unknown): Code {
    const bin = BINARY[key];
    if (bin) return this.binary(bin.op, bin.prec, v as [Expr, Expr]);
    switch (key) {
      case 'float':
        return floatLiteral(Number(v));
      case 'str':
        return atom(strRepr(String(v)));
      case 'name':
        return atom(this.libraryName(String(v)));
      case 'tuple': {
        const items = v as Expr[];
        return atom(items.length === 1 ? `(${this.list(items)},)` : `(${this.list(items)})`);
      }
      case 'dict':
        return atom(`{${(v as [Expr, Expr][]).map(([k, x]) => `${this.expr(k, P.Ternary)}: ${this.expr(x, P.Ternary)}`).join(', ')}}`);
      case 'f':
        return atom(fString(String(v)));
      case 'await':
        return { text: `await ${this.expr(v as Expr, P.Primary)}`, prec: P.Await };
      case 'yield_from':
        return { text: `yield from ${this.expr(v as Expr, P.Ternary)}`, prec: P.Yield };
      case 'attr': {
        const [obj, name] = v as [Expr, string];
        return { text: `${this.primary(obj)}.${name}`, prec: P.Primary };
      }
      case 'item': {
        const [obj, index] = v as [Expr, Expr];
        return { text: `${this.primary(obj)}[${this.expr(index, P.Ternary)}]`, prec: P.Primary };
      }
      case 'slice': {
        const [obj, lo, hi] = v as [Expr, Expr | null, Expr | null];
        const bound = (b: Expr | null) => (b === null || b === undefined ? '' : this.expr(b, P.Ternary));
        return { text: `${this.primary(obj)}[${bound(lo)}:${bound(hi)}]`, prec: P.Primary };
      }
      case 'not':
        return { text: `not ${this.expr(v as Expr, P.Not)}`, prec: P.Not };
      case 'and':
      case 'or': {
        const prec = key === 'and' ? P.And : P.Or;
        return { text: (v as Expr[]).map((x) => this.expr(x, prec + 1)).join(` ${key} `), prec };
      }
      case 'neg':
        // `-(-x)`, `-(a ** b)`, `-(await x)`: explicit rather than clever.
        return { text: `-${this.expr(v as Expr, P.Primary)}`, prec: P.Unary };
      case 'if_else': {
        const [cond, then, otherwise] = v as [Expr, Expr, Expr];
        // Nested conditionals are parenthesized in every position, for the reader.
        return {
          text: `${this.expr(then, P.Or)} if ${this.expr(cond, P.Or)} else ${this.expr(otherwise, P.Or)}`,
          prec: P.Ternary,
        };
      }
      case 'star':
        return { text: `*${this.expr(v as Expr, P.BitOr)}`, prec: P.Ternary };
    }
    throw new Error(`cannot compile expression operator ${key}`);
  }

  private binary(op: string, prec: P, [left, right]: [Expr, Expr]): Code {
    let l: P, r: P;
    if (prec === P.Compare) [l, r] = [P.BitOr, P.BitOr]; // never chain: `(a < b) < c`
    else if (prec === P.Power) [l, r] = [P.Await, P.Unary]; // right-associative, `2 ** -1`
    else [l, r] = [prec, prec + 1]; // left-associative
    return { text: `${this.operand(left, l)} ${op} ${this.operand(right, r)}`, prec };
  }

  /** An operand of a binary operator; `(await x) + 1` rather than `await x + 1`, for the reader. */
  private operand(e: Expr, min: P): string {
    const c = this.code(e);
    return c.prec < min || c.prec === P.Await ? `(${c.text})` : c.text;
  }

  /** The target of `.attr`, `[i]` or a call: a primary, with `(1).real` for int literals. */
  private primary(e: Expr): string {
    const text = this.expr(e, P.Primary);
    return /^\d+$/.test(text) ? `(${text})` : text;
  }

  private list(items: unknown[]): string {
    return items.map((x) => this.arg(x)).join(', ');
  }

  /** A positional argument or display element: `{star: x}` is `*x`. */
  private arg(x: unknown): string {
    return this.expr(x as Expr, P.Ternary);
  }

  private call(call: unknown[], kwargs: Record<string, Expr> | undefined): Code {
    const [callee, ...args] = call as [string, ...unknown[]];
    const parts = args.map((a) => this.arg(a));
    for (const [k, v] of Object.entries(kwargs ?? {})) parts.push(`${k}=${this.expr(v, P.Ternary)}`);
    if (callee === 'type_name') return { text: `type(${parts.join(', ')}).__name__`, prec: P.Primary };
    const fn = callee.startsWith('$') ? variable(callee) : this.libraryName(callee);
    return { text: `${fn}(${parts.join(', ')})`, prec: P.Primary };
  }

  private asyncioCall(fn: AsyncioFunction, m: Record<string, unknown>): Code {
    const positional = m[fn];
    const args = Array.isArray(positional) ? positional : [positional];
    const parts = args.map((a) => this.arg(a));
    for (const [k, v] of Object.entries(m)) if (k !== fn) parts.push(`${k}=${this.expr(v as Expr, P.Ternary)}`);
    return { text: `asyncio.${fn}(${parts.join(', ')})`, prec: P.Primary };
  }

  private comprehension(m: Record<string, unknown>): Code {
    const cond = m.if !== undefined ? ` if ${this.expr(m.if as Expr, P.Or)}` : '';
    return atom(`[${this.expr(m.comp as Expr, P.Ternary)} for ${targets(m.for as string)} in ${this.expr(m.in as Expr, P.Or)}${cond}]`);
  }

  /** A dotted library name (`time.sleep`, `asyncio.CancelledError`), noting the module to import. */
  private libraryName(name: string): string {
    if (name.startsWith('$')) return variable(name);
    const module = MODULES.filter((mod) => name === mod || name.startsWith(mod + '.')).sort((a, b) => b.length - a.length)[0];
    if (module) this.used.add(module);
    else if (name.startsWith('concurrent.')) this.used.add('concurrent.futures');
    return name;
  }
}

/** The asyncio function a mapping calls: the key whose options are all the other keys. */
function asyncioOperator(keys: string[]): AsyncioFunction | undefined {
  const table = ASYNCIO_FUNCTIONS as Record<string, readonly string[]>;
  return keys.find(
    (k): k is AsyncioFunction => k in table && keys.every((o) => o === k || table[k].includes(o)),
  );
}

function isMapping(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function atom(text: string): Code {
  return { text, prec: P.Atom };
}

/** `$name` → `name`; also `$obj.attr` → `obj.attr`. */
function variable(s: string): string {
  return s.startsWith('$') ? s.slice(1) : s;
}

/** Assignment / loop targets: `"a, b"` unpacks; `$` prefixes are tolerated. */
function targets(s: string): string {
  return s
    .split(',')
    .map((t) => variable(t.trim()))
    .join(', ');
}

function names(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).map((n) => variable(String(n)));
}

// ---------------------------------------------------------------------------
// Literals

function intLiteral(n: bigint): Code {
  return n < 0n ? { text: `-${-n}`, prec: P.Unary } : atom(String(n));
}

/** Python's `repr(float)`: shortest round-trip digits, `1.0`, `1e-05`, `1e+16`. */
function floatLiteral(x: number): Code {
  if (!Number.isFinite(x)) {
    return { text: `float('${reprFloat(x)}')`, prec: P.Primary };
  }
  const text = reprFloat(x);
  return text.startsWith('-') ? { text, prec: P.Unary } : atom(text);
}

function escapeChars(s: string, quote: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out;
}

/**
 * `{f: "..."}` → `f"..."`. Placeholders are kept as written (a `$` before a
 * name inside one is dropped); the literal text between them is escaped. The
 * quote is one no placeholder uses, since before 3.12 a placeholder may not
 * contain the f-string's own quote or a backslash.
 */
export function fString(template: string): string {
  const parts: { literal: boolean; text: string }[] = [];
  let i = 0;
  let lit = '';
  while (i < template.length) {
    const ch = template[i];
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      lit += ch + ch;
      i += 2;
    } else if (ch === '{') {
      const end = placeholderEnd(template, i);
      parts.push({ literal: true, text: lit });
      lit = '';
      parts.push({ literal: false, text: template.slice(i, end + 1).replace(/\$(?=[A-Za-z_])/g, '') });
      i = end + 1;
    } else {
      lit += ch;
      i += 1;
    }
  }
  parts.push({ literal: true, text: lit });
  const inPlaceholders = parts.filter((p) => !p.literal).map((p) => p.text).join('');
  const quote = inPlaceholders.includes("'") ? '"' : "'";
  const body = parts.map((p) => (p.literal ? escapeChars(p.text, quote) : p.text)).join('');
  return `f${quote}${body}${quote}`;
}

/** Index of the `}` closing the placeholder opened at `start` (nested `{}` in format specs allowed). */
function placeholderEnd(s: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  throw new Error(`unterminated placeholder in f-string ${JSON.stringify(s)}`);
}
