/**
 * `repr()` and `str()` exactly as CPython renders them.
 *
 * The interpreter's own values are rendered here; exceptions are rendered
 * here too, from the facts the implementation gives ({@link ExceptionInfo}),
 * so that every implementation prints `ValueError('boom')` alike; any other
 * object of the implementation (tasks, futures, coroutines, classes) is
 * rendered by the implementation itself.
 */
import type { ExceptionInfo, PyValue } from '../adapters/adapter';
import { reprFloat } from './floatformat';
// A pure function of a string, no runtime involved: the harness and the
// reference share it rather than keep two copies of CPython's rules.
import { strRepr } from '../../reference/pyrepr';
import { PyBuiltin, PyDict, PyDictView, PyFunction, PyList, PyRange, PySet, PyTuple, identity, isOwnValue, ownTypeName } from './values';

/** What rendering needs from the implementation (a Session has all of it). */
export interface RenderHost {
  exceptionInfo(obj: PyValue): ExceptionInfo | undefined;
  repr(obj: PyValue): string;
  str(obj: PyValue): string;
}

/** `repr(v)`. */
export function repr(v: PyValue, host: RenderHost): string {
  return new Renderer(host).repr(v);
}

/** `str(v)`. */
export function str(v: PyValue, host: RenderHost): string {
  return new Renderer(host).str(v);
}

/** A fake `0x...` address for reprs that show one: stable per object, never a real pointer. */
export function address(o: object): string {
  return '0x' + (0x7f0000000000 + identity(o) * 16).toString(16);
}

class Renderer {
  /** Containers being rendered: a container met again inside itself prints as `[...]`. */
  private readonly active = new Set<object>();
  constructor(private readonly host: RenderHost) {}

  str(v: PyValue): string {
    if (typeof v === 'string') return v;
    if (v !== null && typeof v === 'object') {
      const info = this.exceptionOf(v);
      if (info) return this.exceptionStr(info);
      if (!isOwnValue(v)) return this.host.str(v);
    }
    return this.repr(v);
  }

  repr(v: PyValue): string {
    switch (typeof v) {
      case 'bigint':
        return v.toString();
      case 'number':
        return reprFloat(v);
      case 'string':
        return reprStr(v);
      case 'boolean':
        return v ? 'True' : 'False';
      case 'undefined':
        return 'None';
    }
    if (v === null) return 'None';
    if (v instanceof PyList) return this.nested(v, '[...]', () => `[${this.items(v.items)}]`);
    if (v instanceof PyTuple) {
      if (v.items.length === 1) return this.nested(v, '(...)', () => `(${this.repr(v.items[0])},)`);
      return this.nested(v, '(...)', () => `(${this.items(v.items)})`);
    }
    if (v instanceof PyDict) {
      return this.nested(v, '{...}', () =>
        `{${v.entries().map(([k, x]) => `${this.repr(k)}: ${this.repr(x)}`).join(', ')}}`,
      );
    }
    if (v instanceof PyDictView) {
      return this.nested(v.dict, '...', () => `dict_${v.kind}([${this.items(v.items())}])`);
    }
    if (v instanceof PySet) {
      return v.size === 0 ? 'set()' : this.nested(v, 'set(...)', () => `{${this.items(v.items())}}`);
    }
    if (v instanceof PyRange) {
      return v.step === 1n ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
    }
    if (v instanceof PyFunction) return `<function ${v.name} at ${address(v)}>`;
    if (v instanceof PyBuiltin) {
      if (v.isType) return `<class '${v.name}'>`;
      const partialOf = (v as { partialOf?: PyValue[] }).partialOf;
      if (partialOf) return `functools.partial(${this.items(partialOf)})`;
      if (v.self === undefined) return `<built-in function ${v.name}>`;
      const owner = ownTypeName(v.self) ?? 'object';
      return `<built-in method ${v.name} of ${owner} object at ${address(v.self as object)}>`;
    }
    const info = this.exceptionOf(v);
    if (info) return this.exceptionRepr(info);
    return this.host.repr(v);
  }

  private items(xs: readonly PyValue[]): string {
    return xs.map((x) => this.repr(x)).join(', ');
  }

  private nested(container: object, recursive: string, render: () => string): string {
    if (this.active.has(container)) return recursive;
    this.active.add(container);
    try {
      return render();
    } finally {
      this.active.delete(container);
    }
  }

  private exceptionOf(v: PyValue): ExceptionInfo | undefined {
    return this.host.exceptionInfo(v);
  }

  /** BaseException.__repr__: `Name(arg)` for one argument, `Name(a, b)` otherwise. */
  private exceptionRepr(info: ExceptionInfo): string {
    const name = shortName(info.type);
    if (info.args.length === 1) return `${name}(${this.repr(info.args[0])})`;
    return `${name}(${this.items(info.args)})`;
  }

  /** BaseException.__str__, with the overrides of the classes a scenario can meet. */
  private exceptionStr(info: ExceptionInfo): string {
    const name = shortName(info.type);
    const args = info.args;
    // KeyError.__str__: the repr of a single key.
    if (name === 'KeyError' && args.length === 1) return this.repr(args[0]);
    // BaseExceptionGroup.__str__ (3.11+): 'msg (N sub-exception[s])'.
    if ((name === 'ExceptionGroup' || name === 'BaseExceptionGroup') && args.length === 2) {
      const subs = args[1];
      const n = subs instanceof PyList || subs instanceof PyTuple ? subs.items.length : 0;
      return `${this.str(args[0])} (${n} sub-exception${n === 1 ? '' : 's'})`;
    }
    if (args.length === 0) return '';
    if (args.length === 1) return this.str(args[0]);
    return this.repr(new PyTuple(args));
  }
}

/** `type(e).__name__` from an INTERPRETING.md type name (`asyncio.CancelledError` → `CancelledError`). */
export function shortName(type: string): string {
  const i = type.lastIndexOf('.');
  return i < 0 ? type : type.slice(i + 1);
}

// ---------------------------------------------------------------------------
// str repr: one implementation, shared with the reference runtime.

/** `repr(s)` for a str: CPython's unicode_repr (reference/pyrepr.ts). */
export const reprStr = strRepr;
