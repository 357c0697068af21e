import { expect } from 'chai';
import { asyncDef, Coroutine } from '../coroutines';
import { AttributeError, pyRepr, RuntimeError, ValueError, TypeError } from '../exceptions';
import { Future } from '../futures';
import { Task } from '../tasks';
import { py } from './helpers';

describe('tasks', () => {
  // Expectations: reference/test/cpython/cm.py on CPython 3.9.18 ... 3.13.0 (3.12.1 prints as 3.11.7; 3.7/3.8 have no cancel(msg)).
  for (const [v, awaited, ctx] of [
    ['3.9', 'CancelledError()', "CancelledError('boom')"],
    ['3.10', 'CancelledError()', "CancelledError('boom')"],
    ['3.11', "CancelledError('boom')", 'None'],
    ['3.13', "CancelledError('boom')", 'None'],
  ] as const) {
    it(`cancel(msg) reaches the awaiter as ${awaited} (context ${ctx}) on ${v}`, () => {
      const a = py(v);
      const out: string[] = [];
      const child = asyncDef(function* child2() {
        try { yield* a.sleep(10); } catch (e) { out.push('inner ' + pyRepr(e)); throw e; }
      });
      const main = asyncDef(function* main() {
        const t = a.create_task(child());
        yield* a.sleep(0);
        t.cancel('boom');
        try { yield* t; } catch (e) { out.push(`await ${pyRepr(e)} ${pyRepr((e as { __context__: unknown }).__context__)}`); }
        try { t.result(); } catch (e) { out.push('result ' + pyRepr(e)); }
      });
      a.run(main());
      expect(out).to.deep.equal(["inner CancelledError('boom')", `await ${awaited} ${ctx}`, 'result CancelledError()']);
    });
  }

  it('cancel() throws CancelledError into the coroutine at its await, and the task can refuse it', () => {
    const a = py('3.11');
    const child = asyncDef(function* child() {
      // Only CancelledError may be refused: anything else would mean cancel() threw the wrong thing.
      try { yield* a.sleep(10); } catch (e) { if (!(e instanceof a.CancelledError)) throw e; return 'refused'; }
    });
    const main = asyncDef(function* main() {
      const t = a.create_task(child());
      yield* a.sleep(0);
      expect(t.cancel()).to.equal(true);
      expect(t.cancelling()).to.equal(1);
      const r = yield* t;
      expect(t.cancelled()).to.equal(false);
      expect(t.uncancel()).to.equal(0);
      return r;
    });
    expect(a.run(main())).to.equal('refused');
  });

  it('names tasks Task-N from a per-runtime counter, including the shutdown tasks of run()', () => {
    // reference/test/cpython/names.py: 3.9.18 ... 3.12.1 print Task-1 Task-2 Task-4 | Task-7 Task-8 Task-10; 3.13.0 prints Task-1 Task-2 Task-3 | Task-6 Task-7 Task-8
    for (const [v, first, second] of [['3.10', 'Task-1 Task-2 Task-4', 'Task-7 Task-8 Task-10'], ['3.13', 'Task-1 Task-2 Task-3', 'Task-6 Task-7 Task-8']]) {
      const a = py(v);
      const out: string[] = [];
      const c = asyncDef(function* c() {});
      const main = asyncDef(function* main() {
        const t = a.create_task(c());
        a.create_task(c(), { name: 'x' });
        const t3 = a.create_task(c());
        out.push([a.current_task()!.get_name(), t.get_name(), t3.get_name()].join(' '));
      });
      a.run(main());
      a.run(main());
      expect(out).to.deep.equal([first, second]);
    }
  });

  it('refuses set_result and set_exception', () => {
    const a = py();
    const main = asyncDef(function* main() {
      const t = a.current_task()!;
      expect(() => t.set_result(1)).to.throw(RuntimeError, 'Task does not support set_result operation');
      expect(() => t.set_exception(new ValueError())).to.throw(RuntimeError, 'Task does not support set_exception operation');
    });
    a.run(main());
  });

  it('renders repr as CPython with the coroutine location replaced', () => {
    const a = py('3.10');
    const main = asyncDef(function* main() {
      const f = a.get_running_loop().create_future() as Future<unknown>;
      const w = asyncDef(function* w() { yield* f; });
      const t = a.create_task(w());
      yield* a.sleep(0);
      expect(pyRepr(f)).to.equal('<Future pending cb=[Task.task_wakeup()]>');
      expect(pyRepr(t)).to.equal("<Task pending name='Task-2' coro=<w() running at <unknown>:0> wait_for=<Future pending cb=[Task.task_wakeup()]>>");
      f.set_result('a'.repeat(40));
      yield* a.sleep(0);
      expect(pyRepr(f)).to.equal("<Future finished result='aaaaaaaaaaaa...aaaaaaaaaaaaa'>");
      expect(pyRepr(t)).to.equal("<Task finished name='Task-2' coro=<w() done, defined at <unknown>:0> result=None>");
    });
    a.run(main());
  });

  it('reports a bare non-future yield as "Task got bad yield"', () => {
    const a = py();
    const bad = asyncDef(function* bad() { yield 42; });
    const main = asyncDef(function* main() {
      try { yield* a.create_task(bad()); } catch (e) { return pyRepr(e); }
    });
    expect(a.run(main())).to.equal("RuntimeError('Task got bad yield: 42')");
  });

  it('a task cannot await itself', () => {
    const a = py();
    const main = asyncDef(function* main(): Generator<unknown, unknown, unknown> {
      const me = a.current_task()!;
      try { yield* me; } catch (e) { return (e as RuntimeError).__str__().startsWith('Task cannot await on itself'); }
    });
    expect(a.run(main())).to.equal(true);
  });

  it('sleep(0) yields once without a future; sleep returns its result argument', () => {
    const a = py();
    const order: string[] = [];
    const other = asyncDef(function* other() { order.push('other'); });
    const main = asyncDef(function* main() {
      a.create_task(other());
      order.push('before');
      const r = yield* a.sleep(0, 'res');
      order.push('after');
      const r2 = yield* a.sleep(-1, 'neg');
      return [r, r2];
    });
    expect(a.run(main())).to.deep.equal(['res', 'neg']);
    expect(order).to.deep.equal(['before', 'other', 'after']);
  });

  it('sleep(loop=) warns on 3.8-3.9 and is a TypeError from 3.10', () => {
    const a9 = py('3.9');
    const main9 = asyncDef(function* main() { yield* a9.sleep(0, null, { loop: a9.get_running_loop() }); });
    a9.run(main9());
    expect(a9.warnings.records.map((r) => r.message)).to.deep.equal(['The loop argument is deprecated since Python 3.8, and scheduled for removal in Python 3.10.']);
    const a10 = py('3.10');
    expect(() => a10.sleep(1, null, { loop: null })).to.throw(TypeError, "sleep() got an unexpected keyword argument 'loop'");
  });

  it('all_tasks returns only pending tasks of the running loop; current_task outside a loop raises', () => {
    const a = py();
    const c = asyncDef(function* c() { yield* a.sleep(1); });
    const main = asyncDef(function* main() {
      const t = a.create_task(c());
      expect(a.all_tasks().size).to.equal(2);
      yield* t;
      expect([...a.all_tasks()]).to.deep.equal([a.current_task()]);
    });
    a.run(main());
    expect(() => a.current_task()).to.throw(RuntimeError, 'no running event loop');
  });

  it('a task runs in a copy of the context current at its creation', () => {
    const a = py();
    const v = a.contextvars.ContextVar<string>('v', { default: 'd' });
    const seen: string[] = [];
    const c = asyncDef(function* c() { seen.push(v.get()); v.set('child'); });
    const main = asyncDef(function* main() {
      v.set('main');
      yield* a.create_task(c());
      seen.push(v.get());
    });
    a.run(main());
    expect(seen).to.deep.equal(['main', 'main']);
  });

  it('get_stack gives the suspended frame; print_stack writes it', () => {
    const a = py();
    const c = asyncDef(function* worker() { yield* a.sleep(1); });
    const main = asyncDef(function* main() {
      const t = a.create_task(c());
      yield* a.sleep(0);
      expect(t.get_stack().map((f) => f.name)).to.deep.equal(['worker']);
      let s = '';
      t.print_stack({ file: { write: (x: string) => { s += x; } } });
      expect(s).to.match(/^Stack for <Task pending name='Task-2' .*\(most recent call last\):\n {2}File "<unknown>", line 0, in worker\n$/);
      t.cancel();
    });
    a.run(main());
  });

  it('ensure_future wraps coroutines and passes futures through; rejects others', () => {
    const a = py();
    const c = asyncDef(function* c() { return 1; });
    const main = asyncDef(function* main() {
      const t = a.ensure_future(c());
      expect(t).to.be.instanceOf(Task);
      expect(a.ensure_future(t)).to.equal(t);
      expect(() => a.ensure_future(3)).to.throw(TypeError, 'An asyncio.Future, a coroutine or an awaitable is required');
      return yield* t;
    });
    expect(a.run(main())).to.equal(1);
  });
});

// Expectations: reference/test/cpython/tk2.py on CPython 3.7.16, 3.8.18, 3.9.18,
// 3.10.13, 3.11.7, 3.12.1 and 3.13.0.
describe('tasks (review-1: repr, names, sleep(loop=), ensure_future on a closed loop)', () => {
  for (const [v, blocked] of [
    ['3.7', 'pending'], ['3.10', 'pending'], ['3.11', 'cancelling'], ['3.12', 'cancelling'], ['3.13', 'cancelling'],
  ] as const) {
    it(`a task cancelled while blocked on a future reads '${blocked}' until it runs on ${v}`, () => {
      // The awaited future takes the cancel, so _must_cancel stays False;
      // 3.11+ look at cancelling() instead.
      const a = py(v);
      const out: string[] = [];
      const main = asyncDef(function* main() {
        const loop = a.get_event_loop();
        const fut = loop.create_future();
        const w = asyncDef(function* w() { yield* fut; });
        const t = loop.create_task(w());
        yield* a.sleep(0);
        t.cancel();
        out.push('blocked ' + t.__repr__().split(' ')[1]);
        const u = loop.create_task(w());
        u.cancel();
        out.push('unstarted ' + u.__repr__().split(' ')[1]);
        for (const x of [t, u]) {
          try { yield* x; } catch (e) { if (!(e instanceof a.CancelledError)) throw e; }
        }
        out.push('done ' + t.__repr__().split(' ')[1]);
      });
      a.new_event_loop().run_until_complete(main());
      expect(out).to.deep.equal([`blocked ${blocked}`, 'unstarted cancelling', 'done cancelled']);
    });
  }

  it("Task(name=True) is named str(True), 'True'", () => {
    const a = py('3.13');
    const loop = a.new_event_loop();
    const c = asyncDef(function* c() {});
    const t = new Task(c(), { loop, name: true });
    expect(t.get_name()).to.equal('True');
    loop.run_until_complete(t);
  });

  for (const [v, state] of [['3.9', 'CORO_CREATED'], ['3.10', 'CORO_CLOSED'], ['3.13', 'CORO_CLOSED']] as const) {
    it(`ensure_future on a closed loop raises RuntimeError and leaves the coroutine ${state} on ${v}`, () => {
      const a = py(v);
      const loop = a.new_event_loop();
      loop.close();
      const co = asyncDef(function* c4() {})();
      expect(() => a.ensure_future(co, { loop })).to.throw(RuntimeError, 'Event loop is closed');
      expect(co.state).to.equal(state);
      co.close();
    });
  }

  const LOOP_WARNING = 'The loop argument is deprecated since Python 3.8, and scheduled for removal in Python 3.10.';
  for (const [v, afterSleep0, afterSleep1] of [['3.7', 0, 0], ['3.8', 0, 1], ['3.9', 1, 2]] as const) {
    it(`sleep(loop=) warns inside the coroutine, not at the call, on ${v} (${afterSleep0} after sleep(0), ${afterSleep1} after sleep(1))`, () => {
      const a = py(v);
      const loop = a.new_event_loop();
      const count = () => a.warnings.records.filter((r) => r.message === LOOP_WARNING).length;
      const c1 = a.sleep(0, null, { loop });
      const c2 = a.sleep(1, null, { loop });
      expect(count()).to.equal(0);
      loop.run_until_complete(c1);
      expect(count()).to.equal(afterSleep0);
      loop.run_until_complete(c2);
      expect(count()).to.equal(afterSleep1);
    });
  }

  it('sleep(1) driven outside a loop: 3.7 finds a loop with get_event_loop(), 3.8 asks get_running_loop()', () => {
    const a7 = py('3.7');
    const c7 = a7.sleep(1);
    expect(c7.send(null)).to.be.instanceOf(Future);
    c7.close();
    const a8 = py('3.8');
    const c8 = a8.sleep(1);
    expect(() => c8.send(null)).to.throw(RuntimeError, 'no running event loop');
    c8.close();
  });
});

// Printed by reference/test/cpython/kw.py on CPython 3.7.16, 3.8.18, 3.9.18,
// 3.10.13, 3.11.7, 3.12.1 and 3.13.0 (versions that print the same share an entry).
const KW_PY: Array<[string[], string[]]> = [
  [['3.7'], [
    'Task name TypeError("\'name\' is an invalid keyword argument for Task()")',
    'loop.create_task name TypeError("create_task() got an unexpected keyword argument \'name\'")',
    'create_task name TypeError("create_task() got an unexpected keyword argument \'name\'")',
    'Task context TypeError("\'context\' is an invalid keyword argument for Task()")',
    'loop.create_task context TypeError("create_task() got an unexpected keyword argument \'context\'")',
    'create_task context TypeError("create_task() got an unexpected keyword argument \'context\'")',
    '\'_asyncio.Task\' object has no attribute \'get_name\'',
    '\'_asyncio.Task\' object has no attribute \'set_name\'',
    '\'_asyncio.Task\' object has no attribute \'get_coro\'',
    '\'_asyncio.Task\' object has no attribute \'cancelling\'',
    '\'_asyncio.Task\' object has no attribute \'uncancel\'',
    '\'_asyncio.Task\' object has no attribute \'get_context\'',
  ]],
  [['3.8', '3.9'], [
    'Task name ok',
    'loop.create_task name ok',
    'create_task name ok',
    'Task context TypeError("\'context\' is an invalid keyword argument for Task()")',
    'loop.create_task context TypeError("create_task() got an unexpected keyword argument \'context\'")',
    'create_task context TypeError("create_task() got an unexpected keyword argument \'context\'")',
    '\'_asyncio.Task\' object has no attribute \'cancelling\'',
    '\'_asyncio.Task\' object has no attribute \'uncancel\'',
    '\'_asyncio.Task\' object has no attribute \'get_context\'',
  ]],
  [['3.10'], [
    'Task name ok',
    'loop.create_task name ok',
    'create_task name ok',
    'Task context TypeError("\'context\' is an invalid keyword argument for Task()")',
    'loop.create_task context TypeError("BaseEventLoop.create_task() got an unexpected keyword argument \'context\'")',
    'create_task context TypeError("create_task() got an unexpected keyword argument \'context\'")',
    '\'_asyncio.Task\' object has no attribute \'cancelling\'',
    '\'_asyncio.Task\' object has no attribute \'uncancel\'',
    '\'_asyncio.Task\' object has no attribute \'get_context\'',
  ]],
  [['3.11'], [
    'Task name ok',
    'loop.create_task name ok',
    'create_task name ok',
    'Task context ok',
    'loop.create_task context ok',
    'create_task context ok',
    '\'_asyncio.Task\' object has no attribute \'get_context\'',
  ]],
  [['3.12', '3.13'], [
    'Task name ok',
    'loop.create_task name ok',
    'create_task name ok',
    'Task context ok',
    'loop.create_task context ok',
    'create_task context ok',
  ]],
];

/**
 * What kw.py and kw2.py do for each case: hand a fresh coroutine to the
 * call, await the task, and print "<label> ok" or the TypeError (closing
 * the coroutine, as the probes do).
 */
function* tryTaskCalls(
  c: () => Coroutine<unknown>,
  cases: Array<[string, (co: Coroutine<unknown>) => unknown]>,
  printed: string[],
  shown: (e: TypeError) => string,
): Generator<unknown, void, unknown> {
  for (const [label, f] of cases) {
    const co = c();
    try {
      yield* f(co) as Task<unknown>;
      printed.push(`${label} ok`);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      co.close();
      printed.push(`${label} ${shown(e)}`);
    }
  }
}

describe('tasks: name=, context= and the later Task methods, per version (kw.py)', () => {
  for (const [versions, lines] of KW_PY) for (const version of versions) {
    it(`refuses what ${version} refuses, with its messages`, () => {
      const a = py(version);
      const printed: string[] = [];
      const c = asyncDef(function* c() { /* empty */ });
      const main = asyncDef(function* main() {
        const ctx = a.contextvars.copy_context();
        const loop = a.get_running_loop();
        const cases: Array<[string, (co: Coroutine<unknown>) => unknown]> = [
          ['Task name', (co) => a.newTask(co, { name: 'x' })],
          ['loop.create_task name', (co) => loop.create_task(co, { name: 'x' })],
          ['create_task name', (co) => a.create_task(co, { name: 'x' })],
          ['Task context', (co) => a.newTask(co, { context: ctx })],
          ['loop.create_task context', (co) => loop.create_task(co, { context: ctx })],
          ['create_task context', (co) => a.create_task(co, { context: ctx })],
        ];
        yield* tryTaskCalls(c, cases, printed, pyRepr);
        const t = a.create_task(c());
        for (const m of ['get_name', 'set_name', 'get_coro', 'cancelling', 'uncancel', 'get_context'] as const) {
          try {
            (t[m] as (x?: unknown) => unknown).call(t, 'n');
          } catch (e) {
            if (!(e instanceof AttributeError)) throw e;
            printed.push(e.__str__());
          }
        }
        yield* t;
      });
      a.run(main());
      expect(printed).to.deep.equal(lines);
    });
  }
});

// Printed by reference/test/cpython/kw2.py on CPython 3.7.16, 3.9.18 and 3.10.13
// (versions that print the same share an entry).
const KW2_PY: Array<[string[], string[]]> = [
  [['3.7'], [
    'Task [\'name\', \'context\'] Task() takes at most 2 arguments (3 given)',
    'create_task [\'name\', \'context\'] create_task() got an unexpected keyword argument \'name\'',
    'Task [\'loop\', \'context\'] Task() takes at most 2 arguments (3 given)',
    'create_task [\'loop\', \'context\'] create_task() got an unexpected keyword argument \'context\'',
    'Task [\'loop\', \'name\', \'context\'] Task() takes at most 2 arguments (4 given)',
    'create_task [\'loop\', \'name\', \'context\'] create_task() got an unexpected keyword argument \'name\'',
    'Task [\'context\', \'name\'] Task() takes at most 2 arguments (3 given)',
    'create_task [\'context\', \'name\'] create_task() got an unexpected keyword argument \'context\'',
    'Task [\'context\'] \'context\' is an invalid keyword argument for Task()',
    'create_task [\'context\'] create_task() got an unexpected keyword argument \'context\'',
  ]],
  [['3.9', '3.10'], [
    'Task [\'name\', \'context\'] \'context\' is an invalid keyword argument for Task()',
    'create_task [\'name\', \'context\'] create_task() got an unexpected keyword argument \'context\'',
    'Task [\'loop\', \'context\'] \'context\' is an invalid keyword argument for Task()',
    'create_task [\'loop\', \'context\'] create_task() got an unexpected keyword argument \'context\'',
    'Task [\'loop\', \'name\', \'context\'] Task() takes at most 3 arguments (4 given)',
    'create_task [\'loop\', \'name\', \'context\'] create_task() got an unexpected keyword argument \'context\'',
    'Task [\'context\', \'name\'] \'context\' is an invalid keyword argument for Task()',
    'create_task [\'context\', \'name\'] create_task() got an unexpected keyword argument \'context\'',
    'Task [\'context\'] \'context\' is an invalid keyword argument for Task()',
    'create_task [\'context\'] create_task() got an unexpected keyword argument \'context\'',
  ]],
];

describe('tasks: several new keywords at once, and context=None (kw2.py)', () => {
  for (const [versions, lines] of KW2_PY) for (const version of versions) {
    it(`words the refusal as ${version} does`, () => {
      const a = py(version);
      const printed: string[] = [];
      const c = asyncDef(function* c() { /* empty */ });
      const main = asyncDef(function* main() {
        const loop = a.get_running_loop();
        const ctx = a.contextvars.copy_context();
        const kws: Array<Record<string, unknown>> = [
          { name: 'x', context: ctx }, { loop, context: ctx }, { loop, name: 'x', context: ctx }, { context: ctx, name: 'x' }, { context: null },
        ];
        for (const kw of kws) {
          const shown = `[${Object.keys(kw).map((k) => `'${k}'`).join(', ')}]`;
          const noLoop = Object.fromEntries(Object.entries(kw).filter(([k]) => k !== 'loop'));
          yield* tryTaskCalls(c, [
            [`Task ${shown}`, (co) => a.newTask(co, kw as never)],
            [`create_task ${shown}`, (co) => a.create_task(co, noLoop as never)],
          ], printed, (e) => e.__str__());
        }
      });
      a.run(main());
      expect(printed).to.deep.equal(lines);
    });
  }
});
