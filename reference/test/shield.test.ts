import { expect } from "chai";
import { ALL_VERSIONS, env, loggingVal } from "./combinators.helpers";
import { ValueError, pyRepr } from "../exceptions";
import { Future } from "../futures";

// Expectations: reference/test/cpython/sa1.py on CPython 3.7.16 ... 3.13.0 (virtual-time loop):
// shield, as_completed and the gather cancellation corners.
export function expectedSa1(version: string): string[] {
  const minor = Number(version.split(".")[1]);
  const out = [
    "1.0 outer cancelled False False",
    "2.0 val done inner",
    "2.0 inner result inner",
    "3.0 val cancelled inner2",
    "3.0 shield cancelled with inner True",
    "3.0 same True",
    "4.0 shield exc ValueError('e')",
    "5.0 val done y",
    "5.0 as_completed y",
    "6.0 val done z",
    "6.0 as_completed z",
    "7.0 val done x",
    "7.0 as_completed x",
    "8.0 val done p",
    "8.0 ac timeout p",
    "9.0 ac timed out TimeoutError()",
    "12.0 val done q",
    "14.0 ac exc ValueError('r')",
    minor === 7
      ? "14.0 TypeError('expect a list of futures, not Future')"
      : minor >= 13
        ? "14.0 TypeError('expects an iterable of awaitables, not Future')"
        : "14.0 TypeError('expect an iterable of futures, not Future')",
    "14.5 val cancelled g1",
    "14.5 val cancelled g2",
    "14.5 gather re cancelled CancelledError()",
  ];
  if (minor >= 9) {
    out.push("15.0 val cancelled m1", `15.0 gather msg CancelledError(${minor >= 11 ? "'msg'" : ""})`);
    out.push("16.0 cancel after done False", "17.0 val done d2");
  } else {
    out.push("15.5 cancel after done False", "16.5 val done d2");
  }
  return out;
}

export function programSa1(version: string): string[] {
  const { a, log, p } = env(version);
  const minor = a.profile.minor;
  const { shield, as_completed, gather } = a as Required<typeof a>;
  const CancelledError = a.CancelledError;
  const val = loggingVal(a, p);
  const main = a.asyncDef(function* main() {
    const loop = a.get_running_loop();
    let inner = a.ensure_future(val(2, "inner"));
    const w = a.asyncDef(function* w() {
      return yield* shield(inner);
    });
    const t = a.ensure_future(w());
    yield* a.sleep(1);
    t.cancel();
    try {
      yield* t;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      p("outer cancelled", inner.cancelled(), inner.done());
    }
    p("inner result", yield* inner);
    inner = a.ensure_future(val(2, "inner2"));
    const s = shield(inner);
    loop.call_later(1, () => inner.cancel());
    try {
      yield* s;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      p("shield cancelled with inner", s.cancelled());
    }
    const f = loop.create_future() as Future<unknown>;
    f.set_result(1);
    p("same", shield(f) === f);
    try {
      yield* shield(val(1, "e", true));
    } catch (e) {
      p("shield exc", pyRepr(e));
    }
    for (const c of as_completed([val(3, "x"), val(1, "y"), val(2, "z")])) {
      p("as_completed", yield* c);
    }
    try {
      for (const c of as_completed([val(1, "p"), val(5, "q")], { timeout: 2 })) p("ac timeout", yield* c);
    } catch (e) {
      if (!(e instanceof a.TimeoutError)) throw e;
      p("ac timed out", pyRepr(e));
    }
    yield* a.sleep(4);
    try {
      for (const c of as_completed([val(1, "r", true)])) yield* c;
    } catch (e) {
      p("ac exc", pyRepr(e));
    }
    try {
      for (const _c of as_completed(loop.create_future())) void _c;
    } catch (e) {
      p(pyRepr(e));
    }
    let g = gather([val(1, "g1"), val(2, "g2")], { return_exceptions: true });
    loop.call_later(0.5, () => g.cancel());
    try {
      p(yield* g);
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      p("gather re cancelled", pyRepr(e));
    }
    if (minor >= 9) {
      g = gather([val(1, "m1")]);
      loop.call_later(0.5, () => g.cancel("msg"));
      try {
        yield* g;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        p("gather msg", pyRepr(e));
      }
    }
    g = gather([val(1, "d1", true), val(2, "d2")]);
    try {
      yield* g;
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      p("cancel after done", g.cancel());
    }
    yield* a.sleep(2);
  });
  a.run(main());
  return log;
}

describe("shield, as_completed and gather cancellation", () => {
  for (const v of ALL_VERSIONS) {
    it(`shields the inner task, yields results in completion order, and cancels gather children as CPython ${v} does`, () => {
      expect(programSa1(v)).to.deep.equal(expectedSa1(v));
    });
  }
});
