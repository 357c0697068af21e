import { expect } from "chai";
import { env } from "./combinators.helpers";
import { installThreads } from "../executor";
import { timeSleep, timeSleepGen, ThreadScheduler } from "../threads";
import { ConcurrentFuture } from "../concurrent_futures";

// Expectations: reference/test/cpython/th1.py on CPython 3.9.18 ... 3.13.0 with real
// threads and real sleeps in units of 50 ms (the virtual schedule is the
// drift-free version of those runs).
const EXPECTED = [
  "0.0 thread start 1 main-value asyncio_0",
  "0.0 thread start 2 main-value asyncio_1",
  "1.0 tick a 0",
  "1.5 thread end 2",
  "2.0 tick a 1",
  "2.5 thread end 1",
  "2.5 [10, 20] main-value",
  "3.0 tick a 2",
  "5.5 main slept",
  "5.5 tick b 0",
  "6.5 tick b 1",
  "7.5 tick b 2",
  "8.5 thread got 6",
  "9.0 rcts timeout TimeoutError",
  "9.0 cancel True True",
  "9.0 th",
  "11.0 done",
];

function program(version: string): string[] {
  const { a, log, p } = env(version);
  const s: ThreadScheduler = installThreads(a.runtime);
  const cv = a.contextvars.ContextVar<string>("cv", { default: "default" });
  const { to_thread, gather, run_coroutine_threadsafe } = a as Required<typeof a>;
  function* blocking(n: number, d: number) {
    p("thread start", n, cv.get(), s.current.name);
    yield* timeSleepGen(s, d);
    cv.set("changed");
    p("thread end", n);
    return n * 10;
  }
  const ticker = a.asyncDef(function* ticker(k: string) {
    for (let i = 0; i < 3; i++) {
      yield* a.sleep(1);
      p("tick", k, i);
    }
  });
  const coro = a.asyncDef(function* coro(x: number) {
    yield* a.sleep(1);
    return x + 1;
  });
  const main = a.asyncDef(function* main() {
    cv.set("main-value");
    const t = a.create_task(ticker("a"));
    const r = yield* gather([to_thread(blocking, [1, 2.5]), to_thread(blocking, [2, 1.5])]);
    p(r, cv.get());
    yield* t;
    const t2 = a.create_task(ticker("b"));
    yield* a.sleep(0);
    timeSleep(s, 2.5);
    p("main slept");
    yield* t2;
    const loop = a.get_running_loop();
    function* th() {
      const f = run_coroutine_threadsafe(coro(5), loop) as ConcurrentFuture;
      p("thread got", yield* f.resultGen());
      const f2 = run_coroutine_threadsafe(coro(6), loop) as ConcurrentFuture;
      try {
        yield* f2.resultGen(0.5);
      } catch (e) {
        if (!(e instanceof a.exceptions.ConcurrentTimeoutError)) throw e;
        p("rcts timeout", (e as any).constructor.__name__);
      }
      p("cancel", f2.cancel(), f2.cancelled());
      return "th";
    }
    p(yield* to_thread(th));
    yield* a.sleep(2);
    p("done");
  });
  a.run(main());
  return log;
}

describe("to_thread and run_coroutine_threadsafe", () => {
  for (const v of ["3.9", "3.10", "3.11", "3.12", "3.13"]) {
    it(`runs jobs on simulated threads on the virtual clock, with the caller's context, as CPython ${v} does`, () => {
      expect(program(v)).to.deep.equal(EXPECTED);
    });
  }

  it("is absent before 3.9", () => {
    expect(env("3.8").a.to_thread).to.equal(undefined);
  });
});

describe("deadlock detection with threads", () => {
  it("ends with Deadlock when the loop awaits a thread that waits forever", () => {
    const { a } = env("3.11");
    const s = installThreads(a.runtime);
    const never = new ConcurrentFuture(s, a.ConcurrentFuture ? (a.ConcurrentFuture as () => ConcurrentFuture)().errors : (null as never));
    function* stuck() {
      return yield* never.resultGen();
    }
    const main = a.asyncDef(function* main() {
      return yield* a.to_thread!(stuck);
    });
    expect(() => a.run(main())).to.throw(/deadlock/);
  });
});

describe("to_thread of an async def", () => {
  // Expectations: reference/test/cpython/tt2.py on CPython 3.7.16 ... 3.13.0
  // (run_in_executor) and 3.9.18 ... 3.13.0 (to_thread).
  for (const version of ["3.9", "3.13"]) {
    it(`to_thread/run_in_executor of an async def return its coroutine object unstarted on ${version}`, () => {
      const { a } = env(version);
      const { to_thread } = a as Required<typeof a>;
      const out: string[] = [];
      const ran: string[] = [];
      const af = a.asyncDef(function* af() { ran.push("body"); return 1; });
      const main = a.asyncDef(function* main() {
        const loop = a.get_running_loop();
        let r: unknown = yield* (loop.run_in_executor(null, af as never) as Generator<unknown, unknown, unknown>);
        out.push(`run_in_executor ${a.iscoroutine(r)} [${ran}]`);
        out.push(`awaited ${yield* (r as Generator<unknown, unknown, unknown>)} [${ran}]`);
        r = yield* (to_thread(af as never) as Generator<unknown, unknown, unknown>);
        out.push(`to_thread ${a.iscoroutine(r)} [${ran}]`);
        out.push(`awaited ${yield* (r as Generator<unknown, unknown, unknown>)} [${ran}]`);
      });
      a.run(main());
      expect(out).to.deep.equal([
        "run_in_executor true []", "awaited 1 [body]", "to_thread true [body]", "awaited 1 [body,body]",
      ]);
    });
  }
});
