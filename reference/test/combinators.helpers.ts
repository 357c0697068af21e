/**
 * Shared helpers for the combinator/thread tests: a runtime per profile and
 * a trace printer that renders like the CPython reference programs used to
 * produce the expectations (`print(loop.time(), *values)`).
 */
import { createAsyncio, Asyncio } from "../asyncio";
import { ValueError, floatRepr, pyRepr, pyStr } from "../exceptions";

export const ALL_VERSIONS = ["3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"] as const;

export interface Env {
  a: Asyncio;
  log: string[];
  /** print(loop.time(), *xs) */
  p(...xs: unknown[]): void;
  /** The warnings emitted so far, as "Category: message". */
  warnings(): string[];
  now(): number;
}

export function env(version: string): Env {
  const a = createAsyncio({ python: version });
  const log: string[] = [];
  const now = () => a.runtime.clock.time();
  return {
    a,
    log,
    now,
    p: (...xs: unknown[]) => {
      log.push([floatRepr(now()), ...xs.map(pyStr)].join(" "));
    },
    warnings: () => a.warnings.records.map((w: any) => `${w.category.__name__}: ${w.message}`),
  };
}

/** repr() of results that may hold exceptions, like the Python programs' ename(). */
export function reprs(xs: unknown[]): string {
  return pyRepr(xs.map((x) => (x && typeof x === "object" && "args" in (x as object) ? pyRepr(x) : x)));
}

/**
 * The probe programs' `val(d, v, fail=False)` coroutine (sa1.py, tg1.py):
 * sleeps d, logs a cancellation or its completion, returns v or raises
 * ValueError(v).
 */
export function loggingVal(a: Env["a"], p: Env["p"]) {
  const CancelledError = a.CancelledError;
  return a.asyncDef(function* val(d: number, v: string, fail = false) {
    try {
      yield* a.sleep(d);
    } catch (e) {
      if (e instanceof CancelledError) p("val cancelled", v);
      throw e;
    }
    if (fail) throw new ValueError(v);
    p("val done", v);
    return v;
  });
}
