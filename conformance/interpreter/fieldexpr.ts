/**
 * The expressions allowed inside f-string fields: a small, closed subset of
 * Python expressions, parsed into data ({@link FieldNode}) and evaluated by
 * the interpreter like any other expression. Nothing is evaluated as code.
 *
 * Grammar (Python's precedence):
 *   expr    := or ['if' or 'else' expr]
 *   or      := and ('or' and)*          and := not ('and' not)*
 *   not     := 'not' not | cmp          cmp := arith (cmpop arith)*
 *   arith   := term (('+'|'-') term)*   term := unary (('*'|'/'|'//'|'%') unary)*
 *   unary   := '-' unary | power        power := primary ['**' unary]
 *   primary := atom ('.' NAME | '(' args ')' | '[' index ']')*
 *   atom    := NAME | NUMBER | STRING | '(' [expr (',' expr)* [',']] ')' | '[' [expr (',' expr)*] ']'
 * cmpop is == != < <= > >= in, not in, is, is not.
 */

/** keyword.kwlist (3.7+): words that cannot name a variable. */
const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

export type FieldNode =
  | { k: 'name'; id: string }
  | { k: 'const'; v: unknown }
  | { k: 'attr'; obj: FieldNode; name: string }
  | { k: 'call'; fn: FieldNode; args: FieldNode[]; kwargs: [string, FieldNode][] }
  | { k: 'item'; obj: FieldNode; index: FieldNode }
  | { k: 'slice'; obj: FieldNode; lo: FieldNode | null; hi: FieldNode | null }
  | { k: 'bin'; op: string; a: FieldNode; b: FieldNode }
  | { k: 'cmp'; ops: string[]; xs: FieldNode[] }
  | { k: 'not'; x: FieldNode }
  | { k: 'neg'; x: FieldNode }
  | { k: 'and' | 'or'; xs: FieldNode[] }
  | { k: 'ifelse'; cond: FieldNode; a: FieldNode; b: FieldNode }
  | { k: 'list' | 'tuple'; xs: FieldNode[] };

/** A field that is not in the subset: the scenario is malformed. */
export class FieldSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

type Token = { t: 'name' | 'num' | 'str' | 'op'; v: string };

const TOKEN = /\s*(?:(\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|\d[\d_]*)|([A-Za-z_][A-Za-z_0-9]*)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(\*\*|\/\/|==|!=|<=|>=|[-+*/%<>()[\].,:]))/y;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw new FieldSyntaxError(`f-string: cannot read field '${src}' at '${src.slice(pos)}'`);
    pos = TOKEN.lastIndex;
    if (m[1] !== undefined) out.push({ t: 'num', v: m[1] });
    else if (m[2] !== undefined) out.push({ t: 'name', v: m[2] });
    else if (m[3] !== undefined) out.push({ t: 'str', v: m[3] });
    else out.push({ t: 'op', v: m[4] });
  }
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? '\\' + c);
}

const parsed = new Map<string, FieldNode>();

/** Parses the expression of an f-string field. */
export function parseFieldExpr(src: string): FieldNode {
  const hit = parsed.get(src);
  if (hit) return hit;
  const node = new Parser(tokenize(src), src).parse();
  parsed.set(src, node);
  return node;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[], private readonly src: string) {}

  parse(): FieldNode {
    const e = this.expr();
    if (this.i < this.toks.length) this.fail();
    return e;
  }

  private fail(): never {
    const at = this.toks[this.i];
    throw new FieldSyntaxError(`f-string: unsupported field '${this.src}'${at ? ` near '${at.v}'` : ''}`);
  }
  private peek(v: string, t?: Token['t']): boolean {
    const tok = this.toks[this.i];
    return tok !== undefined && tok.v === v && (t === undefined || tok.t === t) && (tok.t === 'op' || tok.t === 'name');
  }
  private eat(v: string): boolean {
    if (this.peek(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(v: string): void {
    if (!this.eat(v)) this.fail();
  }

  private expr(): FieldNode {
    const a = this.or();
    if (this.eat('if')) {
      const cond = this.or();
      this.expect('else');
      return { k: 'ifelse', cond, a, b: this.expr() };
    }
    return a;
  }
  private or(): FieldNode {
    const xs = [this.and()];
    while (this.eat('or')) xs.push(this.and());
    return xs.length === 1 ? xs[0] : { k: 'or', xs };
  }
  private and(): FieldNode {
    const xs = [this.not()];
    while (this.eat('and')) xs.push(this.not());
    return xs.length === 1 ? xs[0] : { k: 'and', xs };
  }
  private not(): FieldNode {
    if (this.eat('not')) return { k: 'not', x: this.not() };
    return this.cmp();
  }
  private cmpOp(): string | undefined {
    for (const op of ['==', '!=', '<=', '>=', '<', '>']) if (this.eat(op)) return op;
    if (this.eat('in')) return 'in';
    if (this.peek('not') && this.toks[this.i + 1]?.v === 'in') {
      this.i += 2;
      return 'not in';
    }
    if (this.eat('is')) return this.eat('not') ? 'is not' : 'is';
    return undefined;
  }
  private cmp(): FieldNode {
    const xs = [this.arith()];
    const ops: string[] = [];
    for (let op = this.cmpOp(); op !== undefined; op = this.cmpOp()) {
      ops.push(op);
      xs.push(this.arith());
    }
    return ops.length ? { k: 'cmp', ops, xs } : xs[0];
  }
  private arith(): FieldNode {
    let a = this.term();
    for (;;) {
      if (this.eat('+')) a = { k: 'bin', op: 'add', a, b: this.term() };
      else if (this.eat('-')) a = { k: 'bin', op: 'sub', a, b: this.term() };
      else return a;
    }
  }
  private term(): FieldNode {
    let a = this.unary();
    for (;;) {
      if (this.eat('*')) a = { k: 'bin', op: 'mul', a, b: this.unary() };
      else if (this.eat('//')) a = { k: 'bin', op: 'floordiv', a, b: this.unary() };
      else if (this.eat('/')) a = { k: 'bin', op: 'div', a, b: this.unary() };
      else if (this.eat('%')) a = { k: 'bin', op: 'mod', a, b: this.unary() };
      else return a;
    }
  }
  private unary(): FieldNode {
    if (this.eat('-')) return { k: 'neg', x: this.unary() };
    if (this.eat('+')) return this.unary();
    const base = this.primary();
    if (this.eat('**')) return { k: 'bin', op: 'pow', a: base, b: this.unary() };
    return base;
  }
  private primary(): FieldNode {
    let e = this.atom();
    for (;;) {
      if (this.eat('.')) {
        const name = this.toks[this.i++];
        if (!name || name.t !== 'name') this.fail();
        e = { k: 'attr', obj: e, name: name.v };
      } else if (this.eat('(')) {
        const args: FieldNode[] = [];
        const kwargs: [string, FieldNode][] = [];
        while (!this.eat(')')) {
          args.push(this.expr());
          if (!this.eat(',')) {
            this.expect(')');
            break;
          }
        }
        e = { k: 'call', fn: e, args, kwargs };
      } else if (this.eat('[')) {
        let lo: FieldNode | null = null;
        if (!this.peek(':')) lo = this.expr();
        if (this.eat(':')) {
          const hi = this.peek(']') ? null : this.expr();
          this.expect(']');
          e = { k: 'slice', obj: e, lo, hi };
        } else {
          this.expect(']');
          e = { k: 'item', obj: e, index: lo! };
        }
      } else return e;
    }
  }
  private atom(): FieldNode {
    const tok = this.toks[this.i++];
    if (!tok) this.fail();
    switch (tok.t) {
      case 'num': {
        const text = tok.v.replace(/_/g, '');
        return { k: 'const', v: /[.eE]/.test(text) ? Number(text) : BigInt(text) };
      }
      case 'str':
        return { k: 'const', v: unquote(tok.v) };
      case 'name':
        if (tok.v === 'True') return { k: 'const', v: true };
        if (tok.v === 'False') return { k: 'const', v: false };
        if (tok.v === 'None') return { k: 'const', v: null };
        // A keyword is never a name (`{lambda: 1}` is a SyntaxError in CPython, not a lookup of `lambda`).
        if (PYTHON_KEYWORDS.has(tok.v)) {
          this.i--;
          this.fail();
        }
        return { k: 'name', id: tok.v };
    }
    if (tok.v === '(') {
      if (this.eat(')')) return { k: 'tuple', xs: [] };
      const first = this.expr();
      if (this.eat(')')) return first;
      const xs = [first];
      while (this.eat(',')) {
        if (this.peek(')')) break;
        xs.push(this.expr());
      }
      this.expect(')');
      return { k: 'tuple', xs };
    }
    if (tok.v === '[') {
      const xs: FieldNode[] = [];
      while (!this.eat(']')) {
        xs.push(this.expr());
        if (!this.eat(',')) {
          this.expect(']');
          break;
        }
      }
      return { k: 'list', xs };
    }
    this.i--;
    return this.fail();
  }
}
