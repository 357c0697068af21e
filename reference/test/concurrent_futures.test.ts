import { expect } from "chai";
import { env } from "./combinators.helpers";
import { installThreads } from "../executor";
import { ConcurrentFuture, concurrentErrors } from "../concurrent_futures";
import { Thread, timeSleepGen } from "../threads";
import { KeyError, ValueError, pyRepr } from "../exceptions";

// Expectations: reference/test/cpython/cf1.py on CPython 3.7.16, 3.8.18, 3.11.7 (real
// threads, 50 ms units; where real threads raced, the spec's order: a thread
// runs until it blocks or ends).
function expected(minor: number): string[] {
  const out = [
    "0.0 False False False <Future pending>",
    "1.0 cb1 42",
    "1.0 set",
    "1.0 result 42",
    "1.0 cb2 immediate",
    "1.0 finished returned int>",
    minor >= 8 ? "1.0 InvalidStateError FINISHED" : "1.0 cb1 1",
    "2.0 timeout TimeoutError",
    "2.5 timeout exc TimeoutError",
    "2.5 cancel True True True False",
    "2.5 cancelled CancelledError",
    "2.5 cancelled exc CancelledError",
    "2.5 running True True False",
    "2.5 exc ValueError('v') finished raised ValueError>",
    "2.5 raised ValueError('v')",
    "LOG Future N in unexpected state: FINISHED",
    "2.5 RuntimeError('Future in unexpected state')",
    "LOG exception calling callback for <Future at 0xN state=finished returned NoneType>",
    "2.5 after bad",
  ];
  return out;
}

function program(version: string): string[] {
  const { a, log, p } = env(version);
  const s = installThreads(a.runtime);
  const errors = concurrentErrors(a.exceptions, (m) => log.push("LOG " + m.replace(/Future \d+/, "Future N").replace(/0x[0-9a-f]+/, "0xN")));
  const cls = (e: unknown) => (e as { constructor: { __name__: string } }).constructor.__name__;
  const state = (f: ConcurrentFuture) => f.repr().split("state=")[1];
  const f = new ConcurrentFuture(s, errors);
  p(f.done(), f.running(), f.cancelled(), f.repr().split(" at ")[0], state(f));
  f.add_done_callback((x) => p("cb1", x.result()));
  new Thread(s, {
    target: function* setter() {
      yield* timeSleepGen(s, 1);
      f.set_result(42);
      p("set");
    },
  }).start();
  p("result", f.result());
  f.add_done_callback(() => p("cb2 immediate"));
  p(state(f));
  try {
    f.set_result(1);
  } catch (e) {
    p(cls(e), String((e as { __str__(): string }).__str__()).split(":")[0]);
  }
  const g = new ConcurrentFuture(s, errors);
  try {
    g.result(1);
  } catch (e) {
    if (!(e instanceof a.exceptions.ConcurrentTimeoutError)) throw e;
    p("timeout", cls(e));
  }
  try {
    g.exception(0.5);
  } catch (e) {
    if (!(e instanceof a.exceptions.ConcurrentTimeoutError)) throw e;
    p("timeout exc", cls(e));
  }
  p("cancel", g.cancel(), g.cancel(), g.cancelled(), g.set_running_or_notify_cancel());
  try {
    g.result();
  } catch (e) {
    if (!(e instanceof a.exceptions.ConcurrentCancelledError)) throw e;
    p("cancelled", cls(e));
  }
  try {
    g.exception();
  } catch (e) {
    if (!(e instanceof a.exceptions.ConcurrentCancelledError)) throw e;
    p("cancelled exc", cls(e));
  }
  const h = new ConcurrentFuture(s, errors);
  p("running", h.set_running_or_notify_cancel(), h.running(), h.cancel());
  h.set_exception(new ValueError("v"));
  p("exc", pyRepr(h.exception()), state(h));
  try {
    h.result();
  } catch (e) {
    p("raised", pyRepr(e));
  }
  try {
    h.set_running_or_notify_cancel();
  } catch (e) {
    p(pyRepr(e));
  }
  const k = new ConcurrentFuture(s, errors);
  k.add_done_callback(() => {
    throw new KeyError("cb");
  });
  k.add_done_callback(() => p("after bad"));
  k.set_result(null);
  return log;
}

describe("concurrent.futures.Future", () => {
  for (const v of ["3.7", "3.8", "3.11"]) {
    it(`blocks result()/exception() on the virtual clock and runs callbacks on the completing thread as CPython ${v} does`, () => {
      const minor = Number(v.split(".")[1]);
      expect(program(v)).to.deep.equal(expected(minor));
    });
  }

  it("refuses a blocking call made synchronously from a simulated thread, and completes callbacks added after done at once", () => {
    const { a } = env("3.11");
    const s = installThreads(a.runtime);
    const f = new ConcurrentFuture(s, concurrentErrors(a.exceptions));
    let err: unknown;
    const t = new Thread(s, {
      target: () => {
        try {
          f.result();
        } catch (e) {
          err = e;
        }
      },
    });
    t.start();
    t.join();
    expect(String(err)).to.contain("generator form");
    f.set_exception(new ValueError("x"));
    let got: unknown = "unset";
    f.add_done_callback((x) => {
      got = x.exception();
    });
    expect(pyRepr(got)).to.equal("ValueError('x')");
    // cf2.py (3.7.16 ... 3.13.0): a raising callback is logged with its
    // exception, both when cancel() runs it and when it is added after done,
    // and the next callback still runs.
    const logged: string[] = [];
    const g = new ConcurrentFuture(s, concurrentErrors(a.exceptions, (m, exc) => logged.push(`${m.replace(/0x[0-9a-f]+/, "0xN")} ${pyRepr(exc)}`)));
    g.add_done_callback(() => {
      throw new ValueError("in cb");
    });
    g.add_done_callback(() => logged.push("next cb runs"));
    g.cancel();
    g.add_done_callback(() => {
      throw new ValueError("immediate cb");
    });
    expect(logged).to.deep.equal([
      "exception calling callback for <Future at 0xN state=cancelled> ValueError('in cb')",
      "next cb runs",
      "exception calling callback for <Future at 0xN state=cancelled> ValueError('immediate cb')",
    ]);
    expect(g.repr()).to.match(/state=cancelled>$/);
    expect(String(g)).to.equal(g.repr());
    const r = new ConcurrentFuture(s, concurrentErrors(a.exceptions));
    r.set_result("s");
    expect(r.repr()).to.match(/returned str>$/);
    const z = new ConcurrentFuture(s, concurrentErrors(a.exceptions));
    z.set_result(1.5);
    expect(z.repr()).to.match(/returned float>$/);
  });
});

describe("concurrent.futures.Future repr: the Python type name of the outcome", () => {
  // reference/test/cpython/cf3.py, identical on 3.7.16-3.13.0 (addresses masked):
  //   <Future at 0x? state=finished returned list> ... returned coroutine ... raised ValueError
  it("names list, coroutine, NoneType, int, float, str, bool, set, dict and the exception class", () => {
    const { a } = env("3.11");
    const s = installThreads(a.runtime);
    const coro = a.asyncDef(function* coro() {})();
    const values: unknown[] = [[1], coro, null, 1, 1.5, "x", true, new Set([1]), new Map([[1, 2]])];
    const reprs = values.map((v) => {
      const f = new ConcurrentFuture(s, concurrentErrors(a.exceptions));
      f.set_result(v);
      return f.repr().replace(/0x[0-9a-f]+/, "0x?");
    });
    coro.close();
    const e = new ConcurrentFuture(s, concurrentErrors(a.exceptions));
    e.set_exception(new ValueError("v"));
    reprs.push(e.repr().replace(/0x[0-9a-f]+/, "0x?"));
    const names = ["list", "coroutine", "NoneType", "int", "float", "str", "bool", "set", "dict"];
    expect(reprs).to.deep.equal([
      ...names.map((n) => `<Future at 0x? state=finished returned ${n}>`),
      "<Future at 0x? state=finished raised ValueError>",
    ]);
  });
});

// Expectations: reference/test/cpython/cfs.py on CPython 3.7.16, 3.8.18, 3.11.7, 3.12.1 and 3.13.0.
describe("wrap_future: the exception that crosses over (cfs.py)", () => {
  const expected: Record<string, string> = {
    "3.7": "concurrent.futures._base TimeoutError True ('t',)",
    "3.8": "asyncio.exceptions TimeoutError False ('t',)",
    "3.11": "builtins TimeoutError False ('t',)",
    "3.12": "builtins TimeoutError False ('t',)",
    "3.13": "builtins TimeoutError True ('t',)",
  };
  for (const v of Object.keys(expected)) {
    it(`passes a concurrent.futures exception on as ${v} does`, () => {
      const { a } = env(v);
      const s = installThreads(a.runtime);
      const main = a.asyncDef(function* main() {
        const cf = new ConcurrentFuture(s, concurrentErrors(a.exceptions));
        const e = new a.exceptions.ConcurrentTimeoutError("t");
        cf.set_exception(e);
        const f = a.wrap_future(cf);
        try {
          yield* f;
        } catch (got) {
          const cls = (got as object).constructor as unknown as { __module__: string; name: string };
          return `${cls.__module__} ${cls.name} ${pyRepr(got === e)} ${pyRepr((got as { args: unknown[] }).args).replace(/^\[(.*)\]$/, "($1,)")}`;
        }
        return "no exception";
      });
      expect(a.run(main())).to.equal(expected[v]);
    });
  }
});
