import { expect } from "chai";
import { ALL_VERSIONS, env } from "./combinators.helpers";
import { BaseException, ValueError, TimeoutError as BuiltinTimeoutError, pyRepr } from "../exceptions";
import { Future } from "../futures";

// Expectations: reference/test/cpython/wf1.py on CPython 3.7.16 ... 3.13.0 (virtual-time loop).
function expected(version: string): string[] {
  const minor = Number(version.split(".")[1]);
  const cause = minor >= 9 ? " cause=CancelledError()" : "";
  return [
    "1.0 a",
    "2.0 none",
    "3.0 val cancelled b",
    `3.0 timeout TimeoutError()${cause} ${minor >= 11 ? "True" : "False"}`,
    "4.0 stubborn swallows c",
    minor >= 9 ? "4.5 returned swallowed-c" : "4.5 timeout TimeoutError()",
    `4.5 zero timeout TimeoutError()${minor >= 8 ? " cause=CancelledError()" : ""} []`,
    "4.5 done-f",
    `4.5 neg timeout TimeoutError()${minor >= 8 ? " cause=CancelledError()" : ""} ${minor >= 8 ? "True" : "False"}`,
    "5.5 val cancelled inner",
    "5.5 waiter cancelled True",
    minor >= 8 && minor <= 11 ? "6.5 race result raced" : "6.5 race cancelled",
    "7.5 boom ValueError('boom')",
  ];
}

function chain(e: BaseException): string {
  let out = pyRepr(e);
  if (e.__cause__ !== null) out += " cause=" + pyRepr(e.__cause__);
  return out;
}

function program(version: string): string[] {
  const { a, log, p } = env(version);
  const wait_for = a.wait_for!;
  const CancelledError = a.CancelledError;
  const TimeoutError = a.TimeoutError;
  const val = a.asyncDef(function* val(d: number, v: string) {
    try {
      yield* a.sleep(d);
    } catch (e) {
      if (e instanceof CancelledError) p("val cancelled", v);
      throw e;
    }
    return v;
  });
  const stubborn = a.asyncDef(function* stubborn(d: number, v: string) {
    try {
      yield* a.sleep(d);
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      p("stubborn swallows", v);
      yield* a.sleep(0.5);
      return "swallowed-" + v;
    }
    return v;
  });
  const started: number[] = [];
  const quick = a.asyncDef(function* quick() {
    started.push(1);
    return "q";
  });
  const main = a.asyncDef(function* main() {
    const loop = a.get_running_loop();
    p(yield* wait_for(val(1, "a"), 2));
    p(yield* wait_for(val(1, "none"), null));
    try {
      yield* wait_for(val(3, "b"), 1);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      p("timeout", chain(e), e.constructor === BuiltinTimeoutError);
    }
    try {
      p("returned", yield* wait_for(stubborn(3, "c"), 1));
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      p("timeout", chain(e));
    }
    try {
      p("zero returned", yield* wait_for(quick(), 0));
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      p("zero timeout", chain(e), started);
    }
    const f = loop.create_future() as Future<unknown>;
    f.set_result("done-f");
    p(yield* wait_for(f, 0));
    const t = a.ensure_future(val(1, "neg"));
    try {
      yield* wait_for(t, -1);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      p("neg timeout", chain(e), t.cancelled());
    }
    const inner = a.ensure_future(val(5, "inner"));
    const waiter = a.asyncDef(function* waiter() {
      return yield* wait_for(inner, 10);
    });
    let w = a.ensure_future(waiter());
    yield* a.sleep(1);
    w.cancel();
    try {
      yield* w;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      p("waiter cancelled", inner.cancelled());
    }
    const fut = loop.create_future() as Future<unknown>;
    const waiter2 = a.asyncDef(function* waiter2() {
      return yield* wait_for(fut, 10);
    });
    w = a.ensure_future(waiter2());
    yield* a.sleep(1);
    fut.set_result("raced");
    w.cancel();
    try {
      p("race result", yield* w);
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      p("race cancelled");
    }
    const boom = a.asyncDef(function* boom() {
      yield* a.sleep(1);
      throw new ValueError("boom");
    });
    try {
      yield* wait_for(boom(), 5);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      p("boom", pyRepr(e));
    }
  });
  a.run(main());
  return log;
}

describe("wait_for", () => {
  for (const v of ALL_VERSIONS) {
    it(`times out, cancels and waits for the inner task, and resolves cancellation races as CPython ${v} does`, () => {
      expect(program(v)).to.deep.equal(expected(v));
    });
  }

  it("refuses the loop argument from 3.10", () => {
    expect(() => env("3.11").a.wait_for!(null, 1, { loop: null })).to.throw("unexpected keyword argument 'loop'");
  });
});
