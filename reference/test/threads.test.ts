import { expect } from "chai";
import { VirtualClock } from "../clock";
import { Blocking, Channel, Deadlock, Thread, ThreadScheduler, timeSleep, timeSleepGen } from "../threads";

class TestClock extends VirtualClock {
  get t(): number {
    return this.time();
  }
}

function setup(minor = 11) {
  const clock = new TestClock();
  const s = new ThreadScheduler({ clock, version: [3, minor] });
  const log: Array<[number, ...unknown[]]> = [];
  const rec = (...xs: unknown[]) => log.push([clock.t, ...xs]);
  return { clock, s, log, rec };
}

describe("threads: simulated threads on the virtual clock", () => {
  it("runs sleeping threads in deadline order and joins them as reference/test/cpython/t1.py does on CPython 3.9 and 3.11", () => {
    const { s, log, rec } = setup();
    function* worker(name: string, d: number, n: number) {
      for (let i = 0; i < n; i++) {
        yield* timeSleepGen(s, d);
        rec(name, i);
      }
    }
    const a = new Thread(s, { target: worker, args: ["a", 2, 2] });
    const b = new Thread(s, { target: worker, args: ["b", 3, 1] });
    expect([a.name, b.name]).to.deep.equal(["Thread-1 (worker)", "Thread-2 (worker)"]);
    a.start();
    b.start();
    expect(a.is_alive()).to.equal(true);
    a.join(1);
    rec("join timeout", a.is_alive());
    a.join();
    b.join();
    rec("end", a.is_alive());
    expect(log).to.deep.equal([
      [1, "join timeout", true],
      [2, "a", 0],
      [3, "b", 0],
      [4, "a", 1],
      [4, "end", false],
    ]);
  });

  it("names threads Thread-N without the target before 3.10", () => {
    const { s } = setup(9);
    const t = new Thread(s, { target: function f() {} });
    expect(t.name).to.equal("Thread-1");
    expect(new Thread(s, { name: "x" }).name).to.equal("x");
    expect(new Thread(s, {}).name).to.equal("Thread-2");
  });

  it("refuses to start twice, to join before start and to join itself", () => {
    const { s } = setup();
    const t = new Thread(s, {});
    expect(() => t.join()).to.throw("cannot join thread before it is started");
    t.start();
    expect(() => t.start()).to.throw("threads can only be started once");
    let err: unknown;
    const self = new Thread(s, {
      target: function* () {
        try {
          yield* self.joinGen();
        } catch (e) {
          err = e;
        }
      },
    });
    self.start();
    self.join();
    expect(String(err)).to.contain("cannot join current thread");
  });

  it("rejects a negative sleep with ValueError's message", () => {
    const { s } = setup();
    expect(() => timeSleep(s, -1)).to.throw("sleep length must be non-negative");
  });

  it("advances the clock on a main-thread sleep while threads run", () => {
    const { s, log, rec } = setup();
    const t = new Thread(s, {
      target: function* () {
        rec("t start");
        yield* timeSleepGen(s, 1);
        rec("t end");
      },
    });
    t.start();
    rec("main before");
    timeSleep(s, 2);
    rec("main after");
    expect(log).to.deep.equal([
      [0, "main before"],
      [0, "t start"],
      [1, "t end"],
      [2, "main after"],
    ]);
  });

  it("runs satisfied threads in the order their waits were satisfied", () => {
    const { s, log, rec } = setup();
    const ch = new Channel(s);
    let flag = false;
    const waiter = (name: string) =>
      function* () {
        yield new Blocking(null, ch, () => flag);
        rec(name);
      };
    new Thread(s, { target: waiter("w1") }).start();
    new Thread(s, { target: waiter("w2") }).start();
    new Thread(s, {
      target: function* () {
        yield* timeSleepGen(s, 1);
        flag = true;
        ch.notify();
        rec("setter");
      },
    }).start();
    timeSleep(s, 5);
    expect(log).to.deep.equal([
      [1, "setter"],
      [1, "w1"],
      [1, "w2"],
    ]);
  });

  it("reports a deadlock instead of hanging", () => {
    const { s } = setup();
    const ch = new Channel(s);
    const t = new Thread(s, { target: function* () { yield new Blocking(null, ch, () => false); } });
    t.start();
    expect(() => t.join()).to.throw(Deadlock);
    const s2 = setup().s;
    expect(() => s2.blockMain(new Blocking(null))).to.throw(Deadlock, "nothing can wake it");
  });

  it("records a thread's uncaught exception and ends the thread", () => {
    const seen: unknown[] = [];
    const clock = new TestClock();
    const s = new ThreadScheduler({ clock, excepthook: (_t, e) => seen.push(e) });
    const t = new Thread(s, { target: () => { throw new Error("boom"); } });
    t.start();
    t.join();
    expect(t.is_alive()).to.equal(false);
    expect(seen.map(String)).to.deep.equal(["Error: boom"]);
    expect(s.threadExceptions.length).to.equal(1);
  });

  it("joins non-daemon threads at shutdown, passes kwargs, and renders a repr", () => {
    const { s, log, rec } = setup();
    const t = new Thread(s, {
      target: function* (a: number, kw: Record<string, unknown>) {
        yield* timeSleepGen(s, a);
        rec("done", kw.k);
      },
      args: [3],
      kwargs: { k: "v" },
    });
    expect(String(t)).to.equal("<Thread(Thread-1 (target), initial)>");
    t.start();
    expect(String(t)).to.equal("<Thread(Thread-1 (target), started)>");
    s.shutdown();
    expect(log).to.deep.equal([[3, "done", "v"]]);
    expect(String(t)).to.equal("<Thread(Thread-1 (target), stopped)>");
  });

  it("rejects a thread that yields something that is not a Blocking request", () => {
    const { s } = setup();
    new Thread(s, { target: function* () { yield 42 as any; } }).start();
    expect(() => timeSleep(s, 0)).to.throw(TypeError, "not a Blocking request");
  });

  it("swaps contextvars contexts per participant", () => {
    const clock = new TestClock();
    let cur: unknown = "main-ctx";
    let n = 0;
    const s = new ThreadScheduler({ clock, contexts: { get: () => cur, set: (c) => { cur = c; }, fresh: () => `fresh-${++n}` } });
    const seen: unknown[] = [];
    const t = new Thread(s, { target: function* () { seen.push(cur); cur = "changed"; yield* timeSleepGen(s, 1); seen.push(cur); } });
    t.start();
    t.join();
    expect(seen).to.deep.equal(["fresh-1", "changed"]);
    expect(cur).to.equal("main-ctx");
  });
});

describe("threads: the threading module bound to a runtime", () => {
  it("is attached to every virtual-time Asyncio and blocks the loop on a main-thread sleep", () => {
    // reference/test/cpython/ms.py on CPython 3.11: a time.sleep(2) inside a coroutine delays a
    // concurrent 1 s asyncio.sleep to 2 s; a thread started before sleeps 1.
    const { createAsyncio } = require("../asyncio");
    const a = createAsyncio({ python: "3.11" });
    const th = a.threading;
    const log: string[] = [];
    const now = () => a.runtime.clock.time();
    const t = th.Thread({ target: function* () { yield* th.sleepGen(1); log.push(`thread ${now()} ${th.current_thread().name}`); }, name: "w" });
    const other = a.asyncDef(function* other() { yield* a.sleep(1); log.push(`other ${now()}`); });
    const main = a.asyncDef(function* main() {
      const o = a.create_task(other());
      t.start();
      yield* a.sleep(0);
      th.sleep(2);
      log.push(`main ${now()} ${th.current_thread() === th.main_thread()}`);
      yield* o;
    });
    a.run(main());
    expect(log).to.deep.equal(["thread 1 w", "main 2 true", "other 2"]);
    expect(a.ConcurrentFuture().done()).to.equal(false);
  });
});
