import { expect } from 'chai';
import { asyncDef, Coroutine, iscoroutine, iscoroutinefunction, legacyCoroutine, Traceback } from '../coroutines';
import { RuntimeError, StopIteration, TypeError, GeneratorExit, AttributeError, BaseException, ValueError, pyRepr } from '../exceptions';
import type { Future } from '../futures';
import type { Task } from '../tasks';
import { py } from './helpers';
import { profileFor } from '../versions';
import { WarningsChannel } from '../warnings';

describe('coroutines', () => {
  it('calling a coroutine function runs nothing', () => {
    let ran = false;
    const f = asyncDef(function* f() { ran = true; });
    const c = f();
    expect(ran).to.equal(false);
    expect(c.state).to.equal('CORO_CREATED');
    expect(c.__qualname__).to.equal('f');
  });
  it('send() returns yielded values and raises StopIteration with the return value', () => {
    const f = asyncDef(function* f() { const x = yield 1; return x; });
    const c = f();
    expect(c.send(null)).to.equal(1);
    expect(() => c.send(5)).to.throw(StopIteration).with.property('value', 5);
    expect(c.state).to.equal('CORO_CLOSED');
  });
  it('awaiting a finished coroutine again raises "cannot reuse already awaited coroutine"', () => {
    const inner = asyncDef(function* inner() { return 1; });
    const c = inner();
    const outer = asyncDef(function* outer() { yield* c; yield* c; });
    expect(() => outer().send(null)).to.throw(RuntimeError, 'cannot reuse already awaited coroutine');
  });
  it('refuses a non-None first send', () => {
    expect(() => asyncDef(function* f() {})().send(1)).to.throw(TypeError, "can't send non-None value to a just-started coroutine");
  });
  it('close() throws GeneratorExit so finally blocks run', () => {
    const log: string[] = [];
    const f = asyncDef(function* f() { try { yield; } finally { log.push('finally'); } });
    const c = f();
    c.send(null);
    c.close();
    expect(log).to.deep.equal(['finally']);
    expect(c.state).to.equal('CORO_CLOSED');
  });
  it('close() refuses a coroutine that ignores GeneratorExit', () => {
    const f = asyncDef(function* f() { for (;;) { try { yield; } catch (e) { if (!(e instanceof GeneratorExit)) throw e; } } });
    const c = f();
    c.send(null);
    expect(() => c.close()).to.throw(RuntimeError, 'coroutine ignored GeneratorExit');
  });
  it('throwInto delivers the exception at the await', () => {
    const f = asyncDef(function* f() { try { yield; } catch (e) { return 'caught'; } });
    const c = f();
    c.send(null);
    expect(() => c.throwInto(new RuntimeError())).to.throw(StopIteration).with.property('value', 'caught');
  });
  it('dropUnawaited warns "coroutine \'X\' was never awaited" only if never started', () => {
    const w = new WarningsChannel();
    const f = asyncDef(function* main() {});
    f().dropUnawaited(w);
    const started = f();
    expect(() => started.send(null)).to.throw(StopIteration);
    started.dropUnawaited(w);
    expect(w.records.map((r) => [r.categoryName, r.message])).to.deep.equal([['RuntimeWarning', "coroutine 'main' was never awaited"]]);
  });
  it('@coroutine warns in 3.8-3.10 and is gone in 3.11', () => {
    const w = new WarningsChannel();
    const g = legacyCoroutine(profileFor('3.8'), w, function* g() { yield; });
    expect(iscoroutinefunction(g)).to.equal(true);
    expect(w.records[0].message).to.equal('"@coroutine" decorator is deprecated since Python 3.8, use "async def" instead');
    expect(iscoroutine(g(), profileFor('3.11'))).to.equal(true);
    expect(iscoroutine(g(), profileFor('3.12'))).to.equal(false);
    expect(() => legacyCoroutine(profileFor('3.11'), w, function* h() { yield; })).to.throw(AttributeError);
  });
  it('iscoroutinefunction is false for a plain generator function', () => {
    expect(iscoroutinefunction(function* () { yield; })).to.equal(false);
    expect(iscoroutine(asyncDef(function* a() {})(), profileFor('3.12'))).to.equal(true);
    expect(new Coroutine((function* () {})(), 'x').__repr__()).to.equal('<coroutine object x>');
  });
});

// Printed by reference/test/cpython/tb3.py: 3.7.16, 3.8.18 and 3.9.18 print the
// first list, 3.10.13, 3.11.7, 3.12.1 and 3.13.0 the second.
const TB3_UNTIL_39 = [
  "done task ['waiter', 'a']", "done task again ['waiter', 'waiter', 'a']", "pending task ['waiter', 'a']",
  "chain ['main', 'mid', 'a']", "awaited ['waiter', 'a']", "stack ['waiter', 'a']",
];
const TB3_FROM_310 = [
  "done task ['waiter', 'a']", "done task again ['waiter']", "pending task ['waiter', 'a']",
  "chain ['main', 'mid', 'a']", "awaited ['waiter', 'a']", "stack ['waiter', 'a']",
];
describe('tracebacks through coroutines (tb3.py)', () => {
  for (const version of ['3.7', '3.9', '3.10', '3.11', '3.13']) {
    it(`record the catching coroutine and reuse a future's traceback as ${version} does`, () => {
      const a = py(version);
      const printed: string[] = [];
      const names = (e: BaseException) => pyRepr(((e.__traceback__ as Traceback | null)?.frames ?? []).map((f) => f.name));
      const raiser = asyncDef(function* a_() { throw new ValueError('x'); }, { name: 'a' });
      const waiter = asyncDef(function* waiter(label: string, t: unknown) {
        try {
          yield* t as Future<unknown>;
        } catch (e) {
          if (!(e instanceof ValueError)) throw e;
          printed.push(`${label} ${names(e)}`);
        }
      });
      const mid = asyncDef(function* mid() { yield* raiser(); });
      const main = asyncDef(function* main() {
        const A = a.ensure_future(raiser());
        yield* a.sleep(0);
        yield* waiter('done task', A);
        yield* waiter('done task again', A);
        const B = a.ensure_future(raiser());
        yield* waiter('pending task', B);
        try {
          yield* mid();
        } catch (e) {
          if (!(e instanceof ValueError)) throw e;
          printed.push(`chain ${names(e)}`);
        }
        const C = a.ensure_future(raiser()) as Task<unknown>;
        yield* waiter('awaited', C);
        printed.push(`stack ${pyRepr(C.get_stack().map((f) => f.name))}`);
      });
      a.run(main());
      expect(printed).to.deep.equal(Number(version.split('.')[1]) >= 10 ? TB3_FROM_310 : TB3_UNTIL_39);
    });
  }
});
