import { expect } from "chai";
import { ALL_VERSIONS, env, reprs } from "./combinators.helpers";
import { Future } from "../futures";
import { ValueError, pyRepr } from "../exceptions";
import { asyncDef } from "../coroutines";
import { py } from "./helpers";

// Expectations: reference/test/cpython/g1.py on CPython 3.7.16 ... 3.13.0
// (virtual-time loop); expected(v) is its exact output on each version.
function expected(version: string): string[] {
  const minor = Number(version.split(".")[1]);
  return [
    "1.0 done fast",
    "3.0 done slow",
    "3.0 ['slow', 'fast']",
    "4.0 done a",
    "6.0 done c",
    "6.0 ['a', \"ValueError('b')\", 'c']",
    "7.0 done a",
    "8.0 caught ValueError('b')",
    "9.0 done c",
    "14.0 done x",
    "14.5 outer cancelled CancelledError() False",
    "16.5 done t2",
    minor >= 9 ? "16.5 [\"CancelledError('')\", 't2'] False" : "16.5 ['CancelledError()', 't2'] False",
    "17.0 child cancel propagates CancelledError() False False",
    "18.5 done t2",
    "20.0 done z",
    "21.0 done dup",
    "21.0 ['dup', 'dup', 'z']",
    "21.0 []",
    `21.0 done immediately? ${minor >= 12 ? "True" : "False"}`,
    "21.0 [7]",
  ];
}

function program(version: string): string[] {
  const { a, log, p } = env(version);
  const gather = a.gather!;
  const val = a.asyncDef(function* val(d: number, v: string, fail = false) {
    yield* a.sleep(d);
    if (fail) throw new ValueError(v);
    p("done", v);
    return v;
  });
  const main = a.asyncDef(function* main() {
    let r = (yield* gather([val(3, "slow"), val(1, "fast")])) as unknown[];
    p(r);
    r = (yield* gather([val(1, "a"), val(2, "b", true), val(3, "c")], { return_exceptions: true })) as unknown[];
    p(reprs(r));
    try {
      yield* gather([val(1, "a"), val(2, "b", true), val(3, "c")]);
    } catch (e) {
      p("caught", (e as any).__repr__());
    }
    yield* a.sleep(5);
    const loop = a.get_running_loop();
    let g = gather([val(1, "x"), val(2, "y")]);
    loop.call_later(1.5, () => g.cancel());
    try {
      yield* g;
    } catch (e) {
      if (!(e instanceof a.CancelledError)) throw e;
      p("outer cancelled", (e as any).__repr__(), g.cancelled());
    }
    let t1 = a.ensure_future(val(1, "t1"));
    let t2 = a.ensure_future(val(2, "t2"));
    g = gather([t1, t2], { return_exceptions: true });
    loop.call_later(0.5, () => t1.cancel());
    r = (yield* g) as unknown[];
    p(reprs(r), g.cancelled());
    t1 = a.ensure_future(val(1, "t1"));
    t2 = a.ensure_future(val(2, "t2"));
    g = gather([t1, t2]);
    loop.call_later(0.5, () => t1.cancel());
    try {
      yield* g;
    } catch (e) {
      if (!(e instanceof a.CancelledError)) throw e;
      p("child cancel propagates", (e as any).__repr__(), g.cancelled(), t2.cancelled());
    }
    yield* a.sleep(3);
    const t = a.ensure_future(val(1, "dup"));
    p(yield* gather([t, t, val(0, "z")]));
    p(yield* gather([]));
    const f = loop.create_future() as Future<unknown>;
    f.set_result(7);
    g = gather([f]);
    p("done immediately?", g.done());
    p(yield* g);
  });
  a.run(main());
  return log;
}

describe("gather", () => {
  for (const v of ALL_VERSIONS) {
    it(`gathers results in argument order, propagates the first error, and handles cancellation as CPython ${v} does`, () => {
      expect(program(v)).to.deep.equal(expected(v));
    });
  }
});

// Printed by reference/test/cpython/gdup.py on CPython 3.7.16, 3.8.18, 3.9.18,
// 3.10.13, 3.11.7, 3.12.1 and 3.13.0 (the same on all):
//   1 1 | 1 | [1, 2, 1, 'co', 1, 'co', 'd', 'd', 2] | ['t', 't', 't']
describe('gather with repeated arguments (gdup.py)', () => {
  for (const version of ['3.7', '3.10', '3.11', '3.12', '3.13']) {
    it(`gathers each distinct future or coroutine once and repeats its result on ${version}`, () => {
      const a = py(version);
      const printed: string[] = [];
      const c = asyncDef(function* c(x: string) {
        yield* a.sleep(0);
        return x;
      });
      const main = asyncDef(function* main() {
        const loop = a.get_running_loop();
        const f1 = loop.create_future() as Future<number>;
        const f2 = loop.create_future() as Future<number>;
        const co = c('co');
        const done = loop.create_future() as Future<string>;
        done.set_result('d');
        const g = a.gather!([f1, f2, f1, co, f1, co, done, done, f2]);
        printed.push(`${f1._callbackList().length} ${f2._callbackList().length}`);
        printed.push(String(a.all_tasks().size - 1));
        f1.set_result(1);
        f2.set_result(2);
        printed.push(pyRepr(yield* g));
        const t = a.ensure_future(c('t'));
        printed.push(pyRepr(yield* a.gather!([t, t, t])));
      });
      a.run(main());
      expect(printed).to.deep.equal(['1 1', '1', "[1, 2, 1, 'co', 1, 'co', 'd', 'd', 2]", "['t', 't', 't']"]);
    });
  }
});

