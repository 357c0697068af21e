/**
 * contextvars (PEP 567): Context, ContextVar, Token, copy_context.
 *
 * Invariants:
 * - The current context belongs to one runtime instance (`ContextState`);
 *   every ContextVar is bound to the state it was created for. Two runtimes
 *   never see each other's contexts.
 * - A Context's mapping is never mutated in place: ContextVar.set replaces
 *   the current context's map with a copy (copy-on-write). So
 *   `copy_context()` is O(1) — it shares the map — which matters because
 *   asyncio copies the context for every Handle created without one.
 * - A Context can be entered by at most one `run()` at a time
 *   ('cannot enter context: ... is already entered').
 */

import { KeyError, LookupError, RuntimeError, ValueError, pyRepr } from './exceptions';

type VarMap = ReadonlyMap<ContextVar<unknown>, unknown>;
const EMPTY: VarMap = new Map();

/** The per-runtime "current context" slot. */
export class ContextState {
  current: Context;
  constructor() {
    this.current = new Context(this);
  }
  /** The ContextSwitch the thread scheduler uses when it switches participant. */
  get(): Context {
    return this.current;
  }
  set(ctx: Context): void {
    this.current = ctx;
  }
  /** The empty context a new Python thread starts with. */
  fresh(): Context {
    return new Context(this);
  }
}

/**
 * A copy of the current context not made yet: the map the copy would share
 * (maps are never mutated, see the file head), or a Context. A future's
 * done callback holds one from add_done_callback until it is scheduled, so
 * a pending callback keeps no Context object alive.
 */
export type ContextOrCopy = Context | VarMap;

/** copy_context(), deferred: see ContextOrCopy. */
export function copyLater(state: ContextState): ContextOrCopy {
  return state.current._vars;
}

/** The Context a ContextOrCopy stands for (the deferred copy is made now). */
export function contextOf(state: ContextState, c: ContextOrCopy): Context {
  return c instanceof Context ? c : new Context(state, c);
}

/** contextvars.Context: an immutable-looking mapping of ContextVar to value. */
export class Context {
  /** @internal */ _vars: VarMap;
  /** @internal The context current before run() entered this one; non-null exactly while entered. */
  _prev: Context | null = null;

  constructor(readonly state: ContextState, vars: VarMap = EMPTY) {
    this._vars = vars;
  }

  /** Context.run(callable, *args): run in this context, restoring the previous one after. */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    this._enter();
    try {
      return fn(...args);
    } finally {
      this._exit();
    }
  }

  /** @internal Make this context current (run()'s entry): RuntimeError when it is already entered. */
  _enter(): void {
    if (this._prev !== null) {
      throw new RuntimeError(`cannot enter context: ${pyRepr(this)} is already entered`);
    }
    const state = this.state;
    this._prev = state.current;
    state.current = this;
  }

  /** @internal Undo _enter(): the context current before it is current again. */
  _exit(): void {
    this.state.current = this._prev!;
    this._prev = null;
  }

  /** Context.copy(): a shallow copy. */
  copy(): Context {
    return new Context(this.state, this._vars);
  }

  get<T>(v: ContextVar<T>, dflt: T | null = null): T | null {
    return this._vars.has(v as ContextVar<unknown>) ? (this._vars.get(v as ContextVar<unknown>) as T) : dflt;
  }
  /** `var in ctx` */
  has(v: ContextVar<unknown>): boolean {
    return this._vars.has(v);
  }
  /** ctx[var]: KeyError(var) when absent. */
  getItem<T>(v: ContextVar<T>): T {
    if (!this._vars.has(v as ContextVar<unknown>)) throw new KeyError(v);
    return this._vars.get(v as ContextVar<unknown>) as T;
  }
  get size(): number {
    return this._vars.size;
  }
  keys(): ContextVar<unknown>[] {
    return [...this._vars.keys()];
  }
  values(): unknown[] {
    return [...this._vars.values()];
  }
  items(): [ContextVar<unknown>, unknown][] {
    return [...this._vars.entries()];
  }
  __repr__(): string {
    return '<_contextvars.Context object>';
  }
}

/** Sentinel for "no default" / Token.MISSING. */
export const MISSING: unique symbol = Symbol('Token.MISSING');
export type Missing = typeof MISSING;

/** contextvars.Token: returned by ContextVar.set, consumed by reset. */
export class Token<T> {
  static readonly MISSING = MISSING;
  /** @internal */ _used = false;
  constructor(readonly var_: ContextVar<T>, readonly old_value: T | Missing, /** @internal */ readonly _ctx: Context) {}
  get var(): ContextVar<T> {
    return this.var_;
  }
  __repr__(): string {
    return `<Token${this._used ? ' used' : ''} var=${this.var_.__repr__()}>`;
  }
}

/** contextvars.ContextVar(name, *, default). */
export class ContextVar<T> {
  private readonly dflt: T | Missing;

  constructor(readonly state: ContextState, readonly name: string, options: { default?: T } = {}) {
    this.dflt = 'default' in options ? (options.default as T) : MISSING;
  }

  /** ContextVar.get([default]): the value in the current context, else the default, else LookupError. */
  get(...dflt: [] | [T]): T {
    const vars = this.state.current._vars;
    if (vars.has(this as ContextVar<unknown>)) return vars.get(this as ContextVar<unknown>) as T;
    if (dflt.length) return dflt[0] as T;
    if (this.dflt !== MISSING) return this.dflt;
    throw new LookupError(this);
  }

  /** ContextVar.set(value): copy-on-write into the current context. */
  set(value: T): Token<T> {
    const ctx = this.state.current;
    const me = this as ContextVar<unknown>;
    const old = ctx._vars.has(me) ? (ctx._vars.get(me) as T) : MISSING;
    const next = new Map(ctx._vars);
    next.set(me, value);
    ctx._vars = next;
    return new Token(this, old, ctx);
  }

  /** ContextVar.reset(token): restore the value before the matching set(). */
  reset(token: Token<T>): void {
    if (token._used) throw new RuntimeError(`${pyRepr(token)} has already been used once`);
    if (token.var_ !== this) throw new ValueError(`${pyRepr(token)} was created by a different ContextVar`);
    const ctx = this.state.current;
    if (token._ctx !== ctx) throw new ValueError(`${pyRepr(token)} was created in a different Context`);
    token._used = true;
    const next = new Map(ctx._vars);
    if (token.old_value === MISSING) next.delete(this as ContextVar<unknown>);
    else next.set(this as ContextVar<unknown>, token.old_value);
    ctx._vars = next;
  }

  __repr__(): string {
    const d = this.dflt === MISSING ? '' : ` default=${pyRepr(this.dflt)}`;
    return `<ContextVar name=${pyRepr(this.name)}${d}>`;
  }
}

/** contextvars.copy_context(): a copy of the current context. */
export function copy_context(state: ContextState): Context {
  return state.current.copy();
}

/** The contextvars module bound to one runtime's context state. */
export interface ContextvarsModule {
  readonly state: ContextState;
  ContextVar<T>(name: string, options?: { default?: T }): ContextVar<T>;
  copy_context(): Context;
  /** contextvars.Context(): a new empty context. */
  Context(): Context;
}

export function contextvarsModule(state: ContextState): ContextvarsModule {
  return {
    state,
    ContextVar: <T>(name: string, options: { default?: T } = {}) => new ContextVar<T>(state, name, options),
    copy_context: () => copy_context(state),
    Context: () => new Context(state),
  };
}
