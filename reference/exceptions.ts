/**
 * Python exceptions, as the interpreter and the runtime raise and test them.
 *
 * Invariants:
 * - Every Python exception is an instance of `BaseException`; `isinstance`
 *   is JS `instanceof`, so the class hierarchy mirrors CPython's exactly
 *   (e.g. TimeoutError < OSError < Exception < BaseException).
 * - Constructing or throwing an exception captures no JS stack: asyncio
 *   raises CancelledError on every cancellation, and a stack capture costs
 *   roughly 3x the rest of a cancel (measured, see design.md). The classes do
 *   not call `Error`'s constructor; `Error.prototype` is spliced into the
 *   prototype chain so that chai/mocha (which require `instanceof Error`)
 *   still recognise and print them.
 * - Each class carries its Python identity: `__name__`, `__qualname__`,
 *   `__module__` (`builtins`, `asyncio.exceptions`, `concurrent.futures._base`).
 * - asyncio's own exceptions differ by version (CancelledError's base class,
 *   whether asyncio.TimeoutError is the builtin): `asyncioExceptions(profile)`
 *   returns the set for a profile. There are three sets (3.7, 3.8-3.10,
 *   3.11+), created once; they are immutable.
 * - `pyRepr`/`pyStr` render JS values as Python's repr()/str() would for the
 *   value model the runtime uses (None = null or undefined, bool, int/float =
 *   number, str = string, list = Array, dict = Map); any object may define
 *   `__repr__()` / `__str__()` to take over.
 */

import { reprFloat, strRepr } from './pyrepr';
import type { Profile } from './versions';

// ---------------------------------------------------------------------------
// Python repr()/str() for the runtime's value model
// ---------------------------------------------------------------------------

/** repr() of a Python float held in a JS number (CPython's float_repr; reference/pyrepr.ts). */
export const floatRepr = reprFloat;

/** repr() of a str: CPython's quote choice and escapes (reference/pyrepr.ts). */
export { strRepr };

/** Python repr() of a runtime value. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  switch (typeof value) {
    case 'boolean': return value ? 'True' : 'False';
    case 'number': return Number.isInteger(value) && !Object.is(value, -0) ? String(value) : floatRepr(value);
    case 'bigint': return String(value);
    case 'string': return strRepr(value);
    case 'function': {
      const f = value as { __repr__?: () => string; __qualname__?: string; name?: string };
      if (typeof f.__repr__ === 'function') return f.__repr__();
      return `<function ${f.__qualname__ ?? f.name ?? '<lambda>'}>`;
    }
  }
  const o = value as { __repr__?: () => string };
  if (typeof o.__repr__ === 'function') return o.__repr__();
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  if (value instanceof Set) return value.size ? `{${[...value].map(pyRepr).join(', ')}}` : 'set()';
  return String(value);
}

/** Python str() of a runtime value. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  const o = value as { __str__?: () => string } | null | undefined;
  if (o && typeof o.__str__ === 'function') return o.__str__();
  return pyRepr(value);
}

/**
 * Python's `type(x).__name__` for a runtime value (exceptions, futures,
 * JS stand-ins for builtins). A Coroutine is recognised by shape:
 * coroutines.ts imports this module, so no instanceof here.
 */
export function pyTypeName(x: unknown): string {
  if (x === null || x === undefined) return 'NoneType';
  switch (typeof x) {
    case 'number': return Number.isInteger(x) ? 'int' : 'float';
    case 'string': return 'str';
    case 'boolean': return 'bool';
  }
  if (Array.isArray(x)) return 'list';
  if (x instanceof Set) return 'set';
  if (x instanceof Map) return 'dict';
  const co = x as { kind?: unknown; send?: unknown };
  if (typeof co.send === 'function' && (co.kind === 'async' || co.kind === 'generator')) {
    return co.kind === 'async' ? 'coroutine' : 'generator';
  }
  const c = (x as { constructor?: { __name__?: string; name?: string } }).constructor;
  return c?.__name__ ?? c?.name ?? typeof x;
}

/** `raise exc from cause` inside an except block handling `cause`: returns exc to throw. */
export function raiseFrom(exc: BaseException, cause: BaseException | null): BaseException {
  exc.__cause__ = cause;
  exc.__suppress_context__ = true;
  if (cause !== null) exc.__context__ = cause;
  return exc;
}

// ---------------------------------------------------------------------------
// The class model
// ---------------------------------------------------------------------------

/** A Python exception class (constructor) with its Python identity. */
export interface ExceptionClass<T extends BaseException = BaseException> {
  new (...args: any[]): T;
  readonly prototype: T;
  __name__: string;
  __qualname__: string;
  __module__: string;
}

/** Give a JS class its Python name and module; returns the class. */
export function pyClass<C extends Function>(cls: C, name: string, module = 'builtins'): C {
  Object.defineProperty(cls, '__name__', { value: name, configurable: true });
  Object.defineProperty(cls, '__qualname__', { value: name, configurable: true });
  Object.defineProperty(cls, '__module__', { value: module, configurable: true });
  // `name` is what JS (and mocha) show; make it the Python name.
  Object.defineProperty(cls, 'name', { value: name, configurable: true });
  return cls;
}

/** `module.qualname` of an exception's class, as a traceback prints it (builtins unqualified). */
export function qualifiedTypeName(e: BaseException): string {
  const c = e.constructor as ExceptionClass;
  return c.__module__ === 'builtins' ? c.__qualname__ : `${c.__module__}.${c.__qualname__}`;
}

/**
 * Python's BaseException. Not an `Error` subclass by construction (no stack
 * capture), but `instanceof Error` holds (see the file head).
 */
export class BaseException {
  /** The constructor arguments, as Python's `args` tuple. */
  args: unknown[];
  /** Explicit chaining (`raise X from Y`). */
  __cause__: BaseException | null = null;
  /** Implicit chaining (raised while handling another exception). */
  __context__: BaseException | null = null;
  __suppress_context__ = false;
  /** Traceback-free by default; the interpreter may attach its own frames. */
  __traceback__: unknown = null;

  constructor(...args: unknown[]) {
    this.args = args;
  }

  /** Python's str(exc). */
  __str__(): string {
    if (this.args.length === 0) return '';
    if (this.args.length === 1) return pyStr(this.args[0]);
    return `(${this.args.map(pyRepr).join(', ')})`;
  }

  /** Python's repr(exc): `ValueError('x')`, `CancelledError()`. */
  __repr__(): string {
    return `${pyTypeName(this)}(${this.args.map(pyRepr).join(', ')})`;
  }

  with_traceback(tb: unknown): this {
    this.__traceback__ = tb;
    return this;
  }

  // JS-side presentation, for mocha/chai and console output.
  get name(): string { return pyTypeName(this); }
  get message(): string { return this.__str__(); }
  get stack(): string { return this.toString(); }
  toString(): string {
    const s = this.__str__();
    return s ? `${qualifiedTypeName(this)}: ${s}` : qualifiedTypeName(this);
  }
}
Object.setPrototypeOf(BaseException.prototype, Error.prototype);
pyClass(BaseException, 'BaseException');

/* eslint-disable @typescript-eslint/no-extraneous-class */
export class Exception extends BaseException {}
pyClass(Exception, 'Exception');
export class ArithmeticError extends Exception {}
pyClass(ArithmeticError, 'ArithmeticError');
export class ZeroDivisionError extends ArithmeticError {}
pyClass(ZeroDivisionError, 'ZeroDivisionError');
export class LookupError extends Exception {}
pyClass(LookupError, 'LookupError');
export class KeyError extends LookupError {
  /** str(KeyError('k')) is the repr of the key. */
  override __str__(): string {
    return this.args.length === 1 ? pyRepr(this.args[0]) : super.__str__();
  }
}
pyClass(KeyError, 'KeyError');
export class IndexError extends LookupError {}
pyClass(IndexError, 'IndexError');
export class ValueError extends Exception {}
pyClass(ValueError, 'ValueError');
export class TypeError extends Exception {}
pyClass(TypeError, 'TypeError');
export class RuntimeError extends Exception {}
pyClass(RuntimeError, 'RuntimeError');
export class NotImplementedError extends RuntimeError {}
pyClass(NotImplementedError, 'NotImplementedError');
export class RecursionError extends RuntimeError {}
pyClass(RecursionError, 'RecursionError');
export class AttributeError extends Exception {}
pyClass(AttributeError, 'AttributeError');
export class NameError extends Exception {}
pyClass(NameError, 'NameError');
export class UnboundLocalError extends NameError {}
pyClass(UnboundLocalError, 'UnboundLocalError');
export class AssertionError extends Exception {}
pyClass(AssertionError, 'AssertionError');
export class StopIteration extends Exception {
  /** The generator's return value (`args[0]`, None if absent). */
  get value(): unknown { return this.args.length ? this.args[0] : null; }
}
pyClass(StopIteration, 'StopIteration');
export class StopAsyncIteration extends Exception {}
pyClass(StopAsyncIteration, 'StopAsyncIteration');
export class GeneratorExit extends BaseException {}
pyClass(GeneratorExit, 'GeneratorExit');
export class KeyboardInterrupt extends BaseException {}
pyClass(KeyboardInterrupt, 'KeyboardInterrupt');
export class SystemExit extends BaseException {
  get code(): unknown { return this.args.length === 0 ? null : this.args.length === 1 ? this.args[0] : this.args; }
}
pyClass(SystemExit, 'SystemExit');
export class OSError extends Exception {}
pyClass(OSError, 'OSError');
/** builtins.TimeoutError (an OSError); asyncio.TimeoutError is this class from 3.11. */
export class TimeoutError extends OSError {}
pyClass(TimeoutError, 'TimeoutError');

/**
 * builtins.BaseExceptionGroup / ExceptionGroup (3.11+), enough for TaskGroup
 * and timeouts: `BaseExceptionGroup.create(msg, excs)` is Python's
 * `BaseExceptionGroup(msg, excs)`, an ExceptionGroup when every member is an
 * Exception. JS has single inheritance: ExceptionGroup extends Exception, and
 * `instanceof BaseExceptionGroup` is widened to accept it.
 */
export class BaseExceptionGroup extends BaseException {
  readonly exceptions: BaseException[];
  constructor(message: string, exceptions: BaseException[]) {
    super(message, [...exceptions]);
    this.exceptions = [...exceptions];
  }
  /** The group's message (args[0]). */
  override get message(): string {
    return this.args[0] as string;
  }
  static create(message: string, exceptions: BaseException[]): BaseExceptionGroup {
    return exceptions.every((e) => e instanceof Exception)
      ? (new ExceptionGroup(message, exceptions) as unknown as BaseExceptionGroup)
      : new BaseExceptionGroup(message, exceptions);
  }
  override __str__(): string {
    return groupStr(this);
  }
  override __repr__(): string {
    return groupRepr(this);
  }
}
pyClass(BaseExceptionGroup, 'BaseExceptionGroup');

/**
 * builtins.ExceptionGroup(BaseExceptionGroup, Exception). Its members
 * (`message`, `__str__`, `__repr__`) are BaseExceptionGroup's, copied onto
 * its prototype below, since it cannot inherit them.
 */
export class ExceptionGroup extends Exception {
  readonly exceptions: BaseException[];
  constructor(message: string, exceptions: BaseException[]) {
    super(message, [...exceptions]);
    this.exceptions = [...exceptions];
  }
}
pyClass(ExceptionGroup, 'ExceptionGroup');
for (const key of ['message', '__str__', '__repr__']) {
  Object.defineProperty(ExceptionGroup.prototype, key, Object.getOwnPropertyDescriptor(BaseExceptionGroup.prototype, key)!);
}

const plainHasInstance = Function.prototype[Symbol.hasInstance];
Object.defineProperty(BaseExceptionGroup, Symbol.hasInstance, {
  value(this: Function, v: unknown): boolean {
    if (plainHasInstance.call(this, v)) return true;
    return this === BaseExceptionGroup && plainHasInstance.call(ExceptionGroup, v);
  },
});

function groupStr(g: { message: string; exceptions: BaseException[] }): string {
  const n = g.exceptions.length;
  return `${pyStr(g.message)} (${n} sub-exception${n === 1 ? '' : 's'})`;
}

function groupRepr(g: { message: string; exceptions: BaseException[]; constructor: Function }): string {
  return `${g.constructor.name}(${pyRepr(g.message)}, [${g.exceptions.map(pyRepr).join(', ')}])`;
}


// Warning categories (builtins).
export class Warning extends Exception {}
pyClass(Warning, 'Warning');
export class DeprecationWarning extends Warning {}
pyClass(DeprecationWarning, 'DeprecationWarning');
export class PendingDeprecationWarning extends Warning {}
pyClass(PendingDeprecationWarning, 'PendingDeprecationWarning');
export class RuntimeWarning extends Warning {}
pyClass(RuntimeWarning, 'RuntimeWarning');
export class UserWarning extends Warning {}
pyClass(UserWarning, 'UserWarning');
export class FutureWarning extends Warning {}
pyClass(FutureWarning, 'FutureWarning');
export class ResourceWarning extends Warning {}
pyClass(ResourceWarning, 'ResourceWarning');

/** Every builtin exception class, by Python name. */
export const BUILTIN_EXCEPTIONS: Readonly<Record<string, ExceptionClass>> = Object.freeze({
  BaseException, Exception, ArithmeticError, ZeroDivisionError, LookupError, KeyError, IndexError,
  ValueError, TypeError, RuntimeError, NotImplementedError, RecursionError, AttributeError, NameError,
  UnboundLocalError, AssertionError, StopIteration, StopAsyncIteration, GeneratorExit, KeyboardInterrupt,
  SystemExit, OSError, TimeoutError, BaseExceptionGroup, ExceptionGroup, Warning, DeprecationWarning, PendingDeprecationWarning,
  RuntimeWarning, UserWarning, FutureWarning, ResourceWarning,
} as unknown as Record<string, ExceptionClass>);

// ---------------------------------------------------------------------------
// asyncio / concurrent.futures exceptions, per version
// ---------------------------------------------------------------------------

/** The asyncio-related exception classes of one version. */
export interface AsyncioExceptions {
  /** asyncio.CancelledError (== concurrent.futures.CancelledError in 3.7). */
  readonly CancelledError: ExceptionClass;
  /** asyncio.TimeoutError (distinct before 3.11; builtins.TimeoutError from 3.11). */
  readonly TimeoutError: ExceptionClass;
  /** asyncio.InvalidStateError. */
  readonly InvalidStateError: ExceptionClass;
  /** concurrent.futures._base.Error. */
  readonly ConcurrentError: ExceptionClass;
  /** concurrent.futures.CancelledError. */
  readonly ConcurrentCancelledError: ExceptionClass;
  /** concurrent.futures.TimeoutError (builtins.TimeoutError from 3.11). */
  readonly ConcurrentTimeoutError: ExceptionClass;
  /** concurrent.futures.InvalidStateError (3.8+; absent in 3.7). */
  readonly ConcurrentInvalidStateError: ExceptionClass | null;
  /** asyncio.BrokenBarrierError (3.11+). */
  readonly BrokenBarrierError: ExceptionClass | null;
}

const CF = 'concurrent.futures._base';

function make37(): AsyncioExceptions {
  class Error extends Exception {}
  pyClass(Error, 'Error', CF);
  class CancelledError extends Error {}
  pyClass(CancelledError, 'CancelledError', CF);
  class CfTimeoutError extends Error {}
  pyClass(CfTimeoutError, 'TimeoutError', CF);
  class InvalidStateError extends Error {}
  pyClass(InvalidStateError, 'InvalidStateError', 'asyncio.base_futures');
  return Object.freeze({
    CancelledError, TimeoutError: CfTimeoutError, InvalidStateError, ConcurrentError: Error,
    ConcurrentCancelledError: CancelledError, ConcurrentTimeoutError: CfTimeoutError,
    ConcurrentInvalidStateError: null, BrokenBarrierError: null,
  }) as unknown as AsyncioExceptions;
}

function make38(builtinTimeout: boolean): AsyncioExceptions {
  const AE = 'asyncio.exceptions';
  class Error extends Exception {}
  pyClass(Error, 'Error', CF);
  class CfCancelledError extends Error {}
  pyClass(CfCancelledError, 'CancelledError', CF);
  class CfInvalidStateError extends Error {}
  pyClass(CfInvalidStateError, 'InvalidStateError', CF);
  class CancelledError extends BaseException {}
  pyClass(CancelledError, 'CancelledError', AE);
  class InvalidStateError extends Exception {}
  pyClass(InvalidStateError, 'InvalidStateError', AE);
  let aTimeout: ExceptionClass = TimeoutError as unknown as ExceptionClass;
  let cfTimeout: ExceptionClass = aTimeout;
  let broken: ExceptionClass | null = null;
  if (!builtinTimeout) {
    class AsyncioTimeoutError extends Exception {}
    pyClass(AsyncioTimeoutError, 'TimeoutError', AE);
    class CfTimeoutError extends Error {}
    pyClass(CfTimeoutError, 'TimeoutError', CF);
    aTimeout = AsyncioTimeoutError as unknown as ExceptionClass;
    cfTimeout = CfTimeoutError as unknown as ExceptionClass;
  } else {
    class BrokenBarrierError extends RuntimeError {}
    pyClass(BrokenBarrierError, 'BrokenBarrierError', AE);
    broken = BrokenBarrierError as unknown as ExceptionClass;
  }
  return Object.freeze({
    CancelledError, TimeoutError: aTimeout, InvalidStateError, ConcurrentError: Error,
    ConcurrentCancelledError: CfCancelledError, ConcurrentTimeoutError: cfTimeout,
    ConcurrentInvalidStateError: CfInvalidStateError, BrokenBarrierError: broken,
  }) as unknown as AsyncioExceptions;
}

// Created once: immutable class objects shared by every runtime of the same
// generation (which keeps isinstance working across runtimes of one version).
const SETS = { v37: make37(), v38: make38(false), v311: make38(true) };

/** The asyncio exception classes for a profile. */
export function asyncioExceptions(profile: Profile): AsyncioExceptions {
  return profile.minor < 8 ? SETS.v37 : profile.minor < 11 ? SETS.v38 : SETS.v311;
}

/**
 * Look an exception class up by its Python name for a profile:
 * 'ValueError', 'builtins.ValueError', 'asyncio.CancelledError',
 * 'asyncio.exceptions.TimeoutError', 'concurrent.futures.TimeoutError', ...
 * Returns undefined for an unknown name (or one the version lacks).
 */
export function exceptionClass(name: string, profile: Profile): ExceptionClass | undefined {
  const bare = name.startsWith('builtins.') ? name.slice('builtins.'.length) : name;
  if (!bare.includes('.')) return BUILTIN_EXCEPTIONS[bare];
  const ax = asyncioExceptions(profile);
  const dot = bare.lastIndexOf('.');
  const mod = bare.slice(0, dot);
  const cls = bare.slice(dot + 1);
  if (mod === 'asyncio' || (mod === 'asyncio.exceptions' && profile.exceptionsModule) || (mod === 'asyncio.base_futures' && !profile.exceptionsModule)) {
    const v = (ax as unknown as Record<string, ExceptionClass | null>)[cls];
    return v ?? undefined;
  }
  if (mod === 'concurrent.futures' || mod === CF) {
    switch (cls) {
      case 'CancelledError': return ax.ConcurrentCancelledError;
      case 'TimeoutError': return ax.ConcurrentTimeoutError;
      case 'InvalidStateError': return ax.ConcurrentInvalidStateError ?? undefined;
      case 'Error': return mod === CF ? ax.ConcurrentError : undefined;
    }
  }
  return undefined;
}

/**
 * isinstance(value, cls) without TypeScript narrowing (narrowing on
 * `instanceof SomeExceptionClass` removes BaseException from the false
 * branch, which is wrong for sibling classes).
 */
export function isinstance(value: unknown, cls: Function | readonly Function[]): boolean {
  if (Array.isArray(cls)) return cls.some((c) => isinstance(value, c));
  return value instanceof (cls as Function);
}

/** isinstance(value, BaseException). */
export function isException(value: unknown): value is BaseException {
  return value instanceof BaseException;
}

/**
 * Convert anything thrown into a Python exception: JS errors raised by a bug
 * in host code surface as RuntimeError carrying the JS message, so they
 * travel through futures like any Python exception rather than escaping as
 * JS errors mid-step.
 */
export function toPyException(e: unknown): BaseException {
  if (e instanceof BaseException) return e;
  if (e instanceof Error) {
    const r = new RuntimeError(`${e.name}: ${e.message}`);
    (r as BaseException & { jsError?: Error }).jsError = e;
    return r;
  }
  return new RuntimeError(String(e));
}
