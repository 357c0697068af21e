import { expect } from "chai";
import { env, loggingVal } from "./combinators.helpers";
import { BaseException, KeyError, RuntimeError, TimeoutError, ValueError, pyRepr } from "../exceptions";
import { asyncWith, Timeout } from "../timeouts";
import { taskGroupClass } from "../taskgroups";
import { BaseExceptionGroup, ExceptionGroup } from "../exceptions";
import { Exception as PyException, KeyboardInterrupt } from "../exceptions";
import { Task } from "../tasks";

// Expectations: reference/test/cpython/tg1.py on CPython 3.11.7, 3.12.1, 3.13.0 (virtual-time loop).
const EXPECTED = [
  "1.0 val done a",
  "2.0 val done b",
  "2.0 tg ok a b 0",
  "3.0 val cancelled y",
  "3.0 eg (ValueError('x'),) 0",
  "3.0 body error ExceptionGroup (KeyError('body'),)",
  "3.0 cm <Timeout [active] when=4.0>",
  "4.0 timeout CancelledError True <Timeout [expired]> 0",
  "5.0 resched <Timeout [active] when=6.0>",
  "5.0 after resched False",
  "5.0 past deadline True",
  "7.0 outer caught True False",
  "8.0 victim cancelled True",
  "8.0 RuntimeError('Timeout has not been entered')",
];

function tuple(xs: unknown[]): string {
  return `(${xs.map(pyRepr).join(", ")}${xs.length === 1 ? "," : ""})`;
}

function program(version: string): string[] {
  const { a, log, p } = env(version);
  const TaskGroup = a.TaskGroup as ReturnType<typeof taskGroupClass>;
  const timeout = a.timeout as (d: number | null) => Timeout;
  const timeout_at = a.timeout_at as (w: number | null) => Timeout;
  const CancelledError = a.CancelledError;
  const val = loggingVal(a, p);
  const main = a.asyncDef(function* main() {
    const loop = a.get_running_loop();
    const me = a.current_task() as Task;
    let t1!: Task, t2!: Task;
    yield* asyncWith(new TaskGroup(), function* (tg) {
      t1 = tg.create_task(val(1, "a"));
      t2 = tg.create_task(val(2, "b"));
    });
    p("tg ok", t1.result(), t2.result(), me.cancelling());
    try {
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.create_task(val(1, "x", true));
        tg.create_task(val(3, "y"));
        yield* a.sleep(5);
        p("not reached");
      });
    } catch (eg) {
      if (!(eg instanceof ExceptionGroup)) throw eg;
      p("eg", tuple(eg.exceptions), me.cancelling());
    }
    try {
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.create_task(val(1, "k"));
        throw new KeyError("body");
      });
    } catch (e) {
      p("body error", (e as BaseException).constructor.name, tuple((e as ExceptionGroup).exceptions));
    }
    let cm!: Timeout;
    try {
      yield* asyncWith(timeout(1), function* (c) {
        cm = c;
        p("cm", cm.__repr__());
        yield* a.sleep(5);
      });
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      p("timeout", (e.__cause__ as BaseException).constructor.name, cm.expired(), cm.__repr__(), me.cancelling());
    }
    yield* asyncWith(timeout(null), function* (c) {
      cm = c;
      yield* a.sleep(1);
      cm.reschedule(loop.time() + 1);
      p("resched", cm.__repr__());
    });
    p("after resched", cm.expired());
    try {
      yield* asyncWith(timeout_at(loop.time() - 1), function* (c) {
        cm = c;
        yield* a.sleep(1);
      });
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      p("past deadline", cm.expired());
    }
    let outer!: Timeout, inner!: Timeout;
    try {
      yield* asyncWith(timeout(2), function* (o) {
        outer = o;
        try {
          yield* asyncWith(timeout(5), function* (i) {
            inner = i;
            yield* a.sleep(10);
          });
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          p("inner caught?");
        }
      });
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      p("outer caught", outer.expired(), inner.expired());
    }
    const victim = a.asyncDef(function* victim() {
      yield* asyncWith(timeout(1), function* () {
        yield* a.sleep(10);
      });
    });
    const t = a.create_task(victim());
    yield* a.sleep(1);
    t.cancel();
    try {
      yield* t;
    } catch (e) {
      if (e instanceof CancelledError) p("victim cancelled", t.cancelled());
      else if (e instanceof TimeoutError) p("victim timeout");
      else throw e;
    }
    const c = timeout(1);
    try {
      c.reschedule(3);
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
      p(pyRepr(e));
    }
  });
  a.run(main());
  return log;
}

describe("TaskGroup and timeouts (3.11+)", () => {
  for (const v of ["3.11", "3.12", "3.13"]) {
    it(`waits for children, aborts on the first error, and converts expired timeouts as CPython ${v} does`, () => {
      expect(program(v)).to.deep.equal(EXPECTED);
    });
  }

  it("is absent before 3.11", () => {
    const { a } = env("3.10");
    expect(a.TaskGroup).to.equal(undefined);
    expect(a.timeout).to.equal(undefined);
    expect(a.timeout_at).to.equal(undefined);
  });

  it("builds an ExceptionGroup for Exceptions and a BaseExceptionGroup otherwise, rendered as Python does", () => {
    const g = BaseExceptionGroup.create("unhandled errors in a TaskGroup", [new ValueError("x")]);
    expect(g).to.be.instanceOf(ExceptionGroup);
    expect(g).to.be.instanceOf(BaseExceptionGroup);
    expect(g).to.be.instanceOf(PyException);
    expect(g.__str__()).to.equal("unhandled errors in a TaskGroup (1 sub-exception)");
    expect(g.__repr__()).to.equal("ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('x')])");
    const b = BaseExceptionGroup.create("m", [new ValueError("x"), new KeyboardInterrupt()]);
    expect(b.constructor).to.equal(BaseExceptionGroup);
    expect(b.__str__()).to.equal("m (2 sub-exceptions)");
    expect(b.__repr__()).to.equal("BaseExceptionGroup('m', [ValueError('x'), KeyboardInterrupt()])");
    expect(b.message).to.equal("m");
    expect(new ValueError("v")).not.to.be.instanceOf(BaseExceptionGroup);
  });
});

describe("Timeout repr", () => {
  // reference/test/cpython/to1.py, same output on 3.11.7, 3.12.1 and 3.13.0:
  // `when` is round(self._when, 3), correctly rounded with ties to even
  // (0.0625 -> 0.062, where Math.round(x * 1000) / 1000 gives 0.063).
  const CPYTHON = [
    "<Timeout [active] when=0.062>",
    "<Timeout [active] when=0.064>",
    "<Timeout [active] when=2.675>",
    "<Timeout [active] when=1.0>",
    "<Timeout [active] when=123.457>",
    "<Timeout [active] when=None>",
  ];
  for (const v of ["3.11", "3.12", "3.13"]) {
    it(`shows when=round(when, 3) while active, as CPython ${v} does`, () => {
      const { a } = env(v);
      const timeout_at = a.timeout_at as (w: number | null) => Timeout;
      const reprs: string[] = [];
      const main = a.asyncDef(function* main() {
        for (const when of [0.0625, 0.0635, 2.675, 1.0005, 123.4565, null]) {
          yield* asyncWith(timeout_at(when), function* (t) {
            reprs.push(t.__repr__());
          });
        }
      });
      a.run(main());
      expect(reprs).to.deep.equal(CPYTHON);
    });
  }
});

// Expectations: reference/test/cpython/tgx.py on CPython 3.13.0.
describe("timeout() on 3.13 and exception groups (tgx.py)", () => {
  it("puts TimeoutError into the members' chains of an ExceptionGroup, not of a BaseExceptionGroup", () => {
    const { a } = env("3.13");
    const timeout = a.timeout as (d: number | null) => Timeout;
    const CancelledError = a.CancelledError;
    class B extends BaseException {}
    const printed: string[] = [];
    const name = (e: unknown) => (e === null ? "NoneType" : (e as object).constructor.name);
    const main = a.asyncDef(function* main() {
      const cases: Array<[string, () => BaseException]> = [
        ["ExceptionGroup", () => new ValueError()],
        ["BaseExceptionGroup", () => new B()],
      ];
      for (const [group, member] of cases) {
        try {
          yield* asyncWith(timeout(0.01), function* () {
            try {
              yield* a.sleep(1);
            } catch (cancelled) {
              if (!(cancelled instanceof CancelledError)) throw cancelled;
              // What `raise group('g', [raised(member)])` inside the except clause chains.
              const m = member();
              m.__context__ = cancelled;
              const g = group === "ExceptionGroup" ? new ExceptionGroup("g", [m]) : new BaseExceptionGroup("g", [m]);
              g.__context__ = cancelled;
              throw g;
            }
          });
        } catch (g) {
          if (!(g instanceof BaseExceptionGroup)) throw g;
          printed.push(`${name(g)} ${name(g.__context__)} ${name(g.exceptions[0].__context__)}`);
        }
      }
    });
    a.run(main());
    expect(printed).to.deep.equal(["ExceptionGroup TimeoutError TimeoutError", "BaseExceptionGroup TimeoutError CancelledError"]);
  });
});

// Expectations: reference/test/cpython/tgn.py on CPython 3.11.7, 3.12.1 and 3.13.0.
describe("frames of asyncio's own coroutines (tgn.py)", () => {
  for (const version of ["3.11", "3.12", "3.13"]) {
    it(`are named by co_name in a failed task's stack on ${version}`, () => {
      const { a } = env(version);
      const TaskGroup = a.TaskGroup as ReturnType<typeof taskGroupClass>;
      const boom = a.asyncDef(function* boom() {
        throw new ValueError("x");
      });
      const inner = a.asyncDef(function* inner() {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.create_task(boom());
        });
      });
      const main = a.asyncDef(function* main() {
        const t = a.ensure_future(inner()) as Task<unknown>;
        yield* a.sleep(0.1);
        return `${(t.exception() as object).constructor.name} ${pyRepr(t.get_stack().map((f) => f.name))}`;
      });
      expect(a.run(main())).to.equal("ExceptionGroup ['inner', '__aexit__']");
    });
  }
});
