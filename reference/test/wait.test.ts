import { expect } from "chai";
import { ALL_VERSIONS, env } from "./combinators.helpers";
import { ValueError, pyRepr } from "../exceptions";
import { Task } from "../tasks";
import { Coroutine } from "../coroutines";

// Expectations: reference/test/cpython/w1.py on CPython 3.7.16 ... 3.13.0 (virtual-time loop).
function expected(version: string): string[] {
  const minor = Number(version.split(".")[1]);
  // 3.7 has no task names, so w1.py prints the coroutine name of every task.
  const named = minor >= 8;
  const out = [
    named ? "3.0 all ['a', 'b', 'c'] []" : "3.0 all ['val', 'val', 'val'] []",
    named ? "4.0 first ['a'] ['b', 'c']" : "4.0 first ['val'] ['val', 'val']",
    named ? "5.0 firstexc ['a', 'b'] ['c']" : "5.0 firstexc ['val', 'val'] ['val']",
    named ? "5.5 timeout ['a', 'b'] ['c']" : "5.5 timeout ['val', 'val'] ['val']",
    named ? "7.5 timeout2 ['a'] ['b'] False" : "7.5 timeout2 ['val'] ['val'] False",
    "10.5 b finished",
    minor >= 11 ? "10.5 ValueError('Set of Tasks/Futures is empty.')" : "10.5 ValueError('Set of coroutines/Futures is empty.')",
    "10.5 TypeError('expect a list of futures, not Task')",
    minor >= 11
      ? "10.5 AttributeError(\"'str' object has no attribute 'add_done_callback'\")"
      : "10.5 TypeError('An asyncio.Future, a coroutine or an awaitable is required')",
    "10.5 ValueError('Invalid return_when value: bogus')",
  ];
  if (minor >= 11) {
    out.push("10.5 TypeError('Passing coroutines is forbidden, use tasks explicitly.')", "12.5 cancel not exc ['a', 'b'] []");
  } else {
    if (minor >= 9) {
      out.push(
        "WARN DeprecationWarning The explicit passing of coroutine objects to asyncio.wait() is deprecated since Python 3.8, and scheduled for removal in Python 3.11.",
      );
    }
    out.push("11.5 coro ok ['coro']", named ? "13.5 cancel not exc ['a', 'b'] []" : "13.5 cancel not exc ['val', 'val'] []");
  }
  return out;
}

function program(version: string): string[] {
  const { a, log, p } = env(version);
  a.warnings.onWarning = (w) => log.push(`WARN ${w.categoryName} ${w.message}`);
  const minor = a.profile.minor;
  const wait = a.wait!;
  const val = a.asyncDef(function* val(d: number, v: string, fail = false) {
    yield* a.sleep(d);
    if (fail) throw new ValueError(v);
    return v;
  });
  const names = (s: Set<unknown>) => [...s].map((t) => (minor >= 8 ? (t as Task).get_name() : "val")).sort();
  const mk = (d: number, v: string, fail = false, name?: string) =>
    minor >= 8 ? a.create_task(val(d, v, fail), { name }) : a.ensure_future(val(d, v, fail));
  const main = a.asyncDef(function* main() {
    const loop = a.get_running_loop();
    let ts = [mk(1, "a", false, "a"), mk(2, "b", true, "b"), mk(3, "c", false, "c")];
    let [done, pending] = (yield* wait(ts)) as [Set<unknown>, Set<unknown>];
    p("all", names(done), names(pending));
    ts = [mk(1, "a", false, "a"), mk(2, "b", true, "b"), mk(3, "c", false, "c")];
    [done, pending] = (yield* wait(ts, { return_when: a.FIRST_COMPLETED })) as [Set<unknown>, Set<unknown>];
    p("first", names(done), names(pending));
    [done, pending] = (yield* wait(ts, { return_when: a.FIRST_EXCEPTION })) as [Set<unknown>, Set<unknown>];
    p("firstexc", names(done), names(pending));
    [done, pending] = (yield* wait(ts, { timeout: 0.5 })) as [Set<unknown>, Set<unknown>];
    p("timeout", names(done), names(pending));
    ts = [mk(1, "a", false, "a"), mk(5, "b", false, "b")];
    [done, pending] = (yield* wait(ts, { timeout: 2 })) as [Set<unknown>, Set<unknown>];
    p("timeout2", names(done), names(pending), ts[1].cancelled());
    yield* ts[1];
    p("b finished");
    for (const bad of [[], ts[0], "x"]) {
      try {
        yield* wait(bad);
      } catch (e) {
        p(pyRepr(e));
      }
    }
    try {
      yield* wait(ts, { return_when: "bogus" });
    } catch (e) {
      p(pyRepr(e));
    }
    const c = val(1, "coro");
    try {
      [done] = (yield* wait([c])) as [Set<unknown>, Set<unknown>];
      p("coro ok", [...done].map((t) => (t as Task).result()));
    } catch (e) {
      p(pyRepr(e));
      (c as Coroutine).close();
    }
    ts = [mk(1, "a", false, "a"), mk(2, "b", false, "b")];
    loop.call_later(0.5, () => ts[0].cancel());
    [done, pending] = (yield* wait(ts, { return_when: a.FIRST_EXCEPTION })) as [Set<unknown>, Set<unknown>];
    p("cancel not exc", names(done), names(pending));
  });
  a.run(main());
  return log;
}

describe("wait", () => {
  for (const v of ALL_VERSIONS) {
    it(`returns (done, pending) for each return_when and timeout, and validates its arguments as CPython ${v} does`, () => {
      expect(program(v)).to.deep.equal(expected(v));
    });
  }

  it("refuses the loop argument from 3.10 and warns about it in 3.8", () => {
    const e10 = env("3.10");
    expect(() => e10.a.wait!([], { loop: null })).to.throw("unexpected keyword argument 'loop'");
    const e8 = env("3.8");
    const main = e8.a.asyncDef(function* main() {
      const t = e8.a.ensure_future(e8.a.sleep(1));
      yield* e8.a.wait!([t], { loop: e8.a.get_running_loop() });
    });
    e8.a.run(main());
    expect(e8.warnings()).to.deep.equal(["DeprecationWarning: The loop argument is deprecated since Python 3.8, and scheduled for removal in Python 3.10."]);
  });
});
