import { expect } from "chai";
import { ALL_VERSIONS, env } from "./combinators.helpers";
import { BaseException, ValueError, pyRepr } from "../exceptions";
import { Task } from "../tasks";
import { asyncWith, Timeout } from "../timeouts";
import { taskGroupClass } from "../taskgroups";
import { ExceptionGroup } from "../exceptions";
import { Coroutine } from "../coroutines";
import { AsCompletedIterator } from "../as_completed";

// Expectations: reference/test/cpython/m1.py on CPython 3.7.16 ... 3.13.0 (virtual-time
// loop): gather's loop argument and no-loop case, run_coroutine_threadsafe's
// argument check, 3.13 async iteration of as_completed, TaskGroup misuse and
// outside cancellation, exceptions escaping an expired timeout.
function expected(minor: number): string[] {
  const out: string[] = [];
  if (minor >= 12) out.push("WARN DeprecationWarning There is no current event loop");
  out.push("0.0 outside True []");
  if (minor <= 9) {
    if (minor === 9) out.push("WARN DeprecationWarning The loop argument is deprecated since Python 3.8, and scheduled for removal in Python 3.10.");
    out.push("1.0 loop nonempty ['a']");
    if (minor >= 8) out.push("WARN DeprecationWarning The loop argument is deprecated since Python 3.8, and scheduled for removal in Python 3.10.");
    out.push("1.0 loop empty []", "1.0 TypeError('A coroutine object is required')");
    return out;
  }
  out.push("0.0 TypeError(\"gather() got an unexpected keyword argument 'loop'\")", "0.0 TypeError('A coroutine object is required')");
  if (minor === 10) return out;
  let t = 0;
  if (minor >= 13) {
    out.push("1.0 async for False True y", "2.0 async for True False x", "3.0 async timeout TimeoutError()");
    t = 3;
  }
  const at = (x: number) => `${t + x}.0`;
  out.push(
    `${at(1)} parent cancelled True`,
    `${at(1)} RuntimeError('TaskGroup <TaskGroup> has not been entered')`,
    `${at(1)} RuntimeError('TaskGroup <TaskGroup entered> is finished')`,
    `${at(1)} RuntimeError('TaskGroup <TaskGroup entered> has already been entered')`,
    minor >= 13
      ? `${at(2)} after expiry ValueError('in handler') TimeoutError CancelledError`
      : `${at(2)} after expiry ValueError('in handler') CancelledError None`,
    `${at(3)} two errors (ValueError('e1'), ValueError('e2'))`,
  );
  return out;
}

function program(version: string): string[] {
  const { a, log, p } = env(version);
  a.warnings.onWarning = (w) => log.push(`WARN ${w.categoryName} ${w.message}`);
  const minor = a.profile.minor;
  const { gather, run_coroutine_threadsafe, as_completed } = a as Required<typeof a>;
  const val = a.asyncDef(function* val(d: number, v: string) {
    yield* a.sleep(d);
    return v;
  });
  const g = gather([]);
  p("outside", g.done(), g.result());
  const main = a.asyncDef(function* main() {
    const loop = a.get_running_loop();
    if (minor <= 9) {
      p("loop nonempty", yield* gather([val(1, "a")], { loop }));
      p("loop empty", yield* gather([], { loop }));
    } else {
      try {
        gather([], { loop });
      } catch (e) {
        p(pyRepr(e));
      }
    }
    try {
      run_coroutine_threadsafe(val, loop);
    } catch (e) {
      p(pyRepr(e));
    }
    if (minor >= 13) {
      const ts = [a.create_task(val(2, "x")), a.create_task(val(1, "y"))];
      const it = as_completed(ts) as AsCompletedIterator;
      expect(it.__aiter__()).to.equal(it);
      for (;;) {
        let t: Task;
        try {
          t = (yield* it.__anext__()) as Task;
        } catch (e) {
          if ((e as BaseException).constructor.name === "StopAsyncIteration") break;
          throw e;
        }
        p("async for", t === ts[0], t === ts[1], yield* t);
      }
      try {
        const it2 = as_completed([val(3, "z")], { timeout: 1 }) as AsCompletedIterator;
        yield* it2.__anext__();
      } catch (e) {
        if (!(e instanceof a.TimeoutError)) throw e;
        p("async timeout", pyRepr(e));
      }
    }
    if (minor >= 11) {
      const TaskGroup = a.TaskGroup as ReturnType<typeof taskGroupClass>;
      const timeout = a.timeout as (d: number | null) => Timeout;
      const parent = a.asyncDef(function* parent() {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.create_task(val(5, "c1"));
          yield* a.sleep(10);
        });
      });
      const t = a.create_task(parent());
      yield* a.sleep(1);
      t.cancel();
      try {
        yield* t;
      } catch (e) {
        if (!(e instanceof a.CancelledError)) throw e;
        p("parent cancelled", t.cancelled());
      }
      const tg = new TaskGroup();
      let c = val(1, "q") as Coroutine;
      try {
        tg.create_task(c);
      } catch (e) {
        p(pyRepr(e));
      }
      c.close();
      yield* asyncWith(tg, function* () {});
      c = val(1, "q") as Coroutine;
      try {
        tg.create_task(c);
      } catch (e) {
        p(pyRepr(e));
      }
      c.close();
      try {
        yield* asyncWith(tg, function* () {});
      } catch (e) {
        p(pyRepr(e));
      }
      try {
        yield* asyncWith(timeout(1), function* () {
          try {
            yield* a.sleep(5);
          } catch (e) {
            if (!(e instanceof a.CancelledError)) throw e;
            const v = new ValueError("in handler");
            v.__context__ = e; // Python's implicit chaining inside except
            throw v;
          }
        });
      } catch (e) {
        const ctx = (e as BaseException).__context__;
        p("after expiry", pyRepr(e), ctx ? ctx.constructor.name : null, ctx && ctx.__context__ ? ctx.__context__.constructor.name : null);
      }
      const fail = a.asyncDef(function* fail(d: number, m: string) {
        yield* a.sleep(d);
        throw new ValueError(m);
      });
      try {
        yield* asyncWith(new TaskGroup(), function* (tg2) {
          tg2.create_task(fail(1, "e1"));
          tg2.create_task(fail(1, "e2"));
        });
      } catch (eg) {
        if (!(eg instanceof ExceptionGroup)) throw eg;
        p("two errors", `(${eg.exceptions.map(pyRepr).join(", ")})`);
      }
    }
  });
  a.run(main());
  return log;
}

describe("as_completed, gather's loop argument and TaskGroup corners", () => {
  for (const v of ALL_VERSIONS) {
    it(`behaves as CPython ${v} does`, () => {
      expect(program(v)).to.deep.equal(expected(Number(v.split(".")[1])));
    });
  }

  it("is lazy before 3.13: nothing is checked or scheduled until the first next()", () => {
    const { a } = env("3.12");
    const it = a.as_completed!(42) as Iterator<unknown>;
    expect(() => it.next()).to.throw("'int' object is not iterable");
    expect(() => env("3.10").a.as_completed!([], { loop: null })).to.throw("unexpected keyword argument 'loop'");
  });
});

describe("the deprecated loop argument (3.8-3.9)", () => {
  // Expectations: reference/test/cpython/ac2.py on CPython 3.7.16, 3.8.18, 3.9.18.
  for (const v of ["3.7", "3.8", "3.9"]) {
    it(`warns once per deprecated loop= (three times for as_completed's queue) as CPython ${v} does`, () => {
      const { a, log, p } = env(v);
      a.warnings.onWarning = (w) => log.push(`WARN ${w.categoryName}`);
      const val = a.asyncDef(function* val(d: number, x: string) {
        yield* a.sleep(d);
        return x;
      });
      const main = a.asyncDef(function* main() {
        const loop = a.get_running_loop();
        for (const c of a.as_completed!([val(1, "a")], { loop })) p(yield* c);
        const t = a.ensure_future(val(1, "b"));
        p(yield* a.wait_for!(t, 2, { loop }));
        p(yield* a.shield!(val(1, "c"), { loop }));
      });
      a.run(main());
      const w = v === "3.7" ? [] : ["WARN DeprecationWarning"];
      expect(log).to.deep.equal([...w, ...w, ...w, "1.0 a", ...w, "2.0 b", ...w, "3.0 c"]);
    });
  }
});

// Expectations: reference/test/cpython/acq.py on CPython 3.12.1 and 3.13.0.
describe("as_completed names, 3.12 against 3.13 (acq.py)", () => {
  const expected: Record<string, string[]> = {
    "3.12": ["<Task pending name='Task-2' coro=<v() running at <unknown>:0>>", "as_completed.<locals>._wait_for_one", "1"],
    "3.13": [
      "<Task pending name='Task-2' coro=<v() running at <unknown>:0> cb=[_AsCompletedIterator._handle_completion()]>",
      "_AsCompletedIterator._wait_for_one",
      "1",
    ],
  };
  for (const version of Object.keys(expected)) {
    it(`registers and names its callbacks and coroutines as ${version} does`, () => {
      const { a } = env(version);
      const v = a.asyncDef(function* v(x: number) {
        yield* a.sleep(1);
        return x;
      });
      const main = a.asyncDef(function* main() {
        const t = a.create_task(v(1));
        const it = a.as_completed!([t], { timeout: 5 }) as Iterable<Coroutine<unknown>>;
        const out = [t.__repr__()];
        const c = it[Symbol.iterator]().next().value as Coroutine<unknown>;
        out.push(c.__qualname__);
        out.push(pyRepr(yield* c));
        return out;
      });
      expect(a.run(main())).to.deep.equal(expected[version]);
    });
  }
});
