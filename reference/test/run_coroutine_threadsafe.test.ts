import { expect } from "chai";
import { env } from "./combinators.helpers";
import { ValueError, pyRepr } from "../exceptions";
import { ConcurrentFuture } from "../concurrent_futures";
import { Coroutine } from "../coroutines";

// Expectations: reference/test/cpython/r1.py on CPython 3.7.16, 3.11.7, 3.13.0 (virtual-time
// loop); the handler message is compared up to CPython's " at FILE:LINE".
const EXPECTED = [
  "0.0 handler Exception in callback run_coroutine_threadsafe.<locals>.callback() ValueError('factory')",
  "0.5 ValueError('factory') True",
  "0.5 cancel True",
  "2.5 True",
];

function program(version: string): string[] {
  const { a, log, p } = env(version);
  const val = a.asyncDef(function* val(d: number, v: string) {
    yield* a.sleep(d);
    return v;
  });
  const rcts = a.run_coroutine_threadsafe!;
  const main = a.asyncDef(function* main() {
    const loop = a.get_running_loop();
    loop.set_exception_handler((_l, c) => p("handler", String(c.message).replace(/ at \S+$/, ""), pyRepr(c.exception)));
    loop.set_task_factory(() => {
      throw new ValueError("factory");
    });
    const c = val(1, "x") as Coroutine;
    let f = rcts(c, loop) as ConcurrentFuture;
    yield* a.sleep(0.5);
    loop.set_task_factory(null);
    p(pyRepr(f.exception()), f.done());
    c.close();
    f = rcts(val(1, "y"), loop) as ConcurrentFuture;
    yield* a.sleep(0);
    p("cancel", f.cancel());
    yield* a.sleep(2);
    p(f.cancelled());
  });
  a.run(main());
  return log;
}

describe("run_coroutine_threadsafe", () => {
  for (const v of ["3.7", "3.11", "3.13"]) {
    it(`reports a failure to wrap the coroutine on the future and the loop, and propagates cancellation, as CPython ${v} does`, () => {
      expect(program(v)).to.deep.equal(EXPECTED);
    });
  }
});
