import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { RUN_ONE, SERVER, adapterCommand, adapterEnv, processAdapterOptions } from '../cpython';
import { compareVersions, discoverPythons, type PythonInterpreter } from '../discovery';
import { Server, prints, sayAfterSource, src, validHello, type Msg } from './ndjson';

// Drives conformance/python/aiospec_adapter/server.py on every CPython the
// machine has (discovery.ts), with small hand-written programs whose traces
// follow from spec/VIRTUAL-TIME.md. Versions that are not installed are
// listed as pending tests saying so.

const MINORS = ['3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];


const SAY_AFTER = sayAfterSource([
  '    for _ in range(3):',
  '        await asyncio.sleep(0.1)',
  '    print(asyncio.get_running_loop().time())',
  '    return [t.get_name() if hasattr(t, "get_name") else "Task-2", t.done()]',
]);

const EXECUTOR = src([
  'import asyncio, time',
  'def blocking(n):',
  '    print("start", n)',
  '    time.sleep(n)',
  '    print("end", n)',
  '    return n * 10',
  'async def main():',
  '    loop = asyncio.get_running_loop()',
  '    r = await asyncio.gather(loop.run_in_executor(None, blocking, 2), loop.run_in_executor(None, blocking, 1), asyncio.sleep(1.5, "slept"))',
  '    print(r)',
  '    return loop.time()',
  '__aiospec_result__ = asyncio.run(main())',
]);

const TO_THREAD = src([
  'import asyncio, time',
  'def blocking(n):',
  '    time.sleep(n)',
  '    return n',
  'async def main():',
  '    print(await asyncio.to_thread(blocking, 3))',
  '__aiospec_result__ = asyncio.run(main())',
]);

const THREADSAFE = src([
  'import asyncio, threading, time, concurrent.futures',
  'async def coro(x):',
  '    await asyncio.sleep(x)',
  '    return x + 1',
  'def worker(loop):',
  '    time.sleep(1)',
  '    f = asyncio.run_coroutine_threadsafe(coro(3), loop)',
  '    try:',
  '        f.result(timeout=0.5)',
  '    except concurrent.futures.TimeoutError:',
  '        print("timeout")',
  '    print("result", f.result())',
  'async def main():',
  '    th = threading.Thread(target=worker, args=(asyncio.get_running_loop(),))',
  '    th.start()',
  '    await asyncio.sleep(10)',
  '    th.join()',
  '    print("joined", th.is_alive())',
  '__aiospec_result__ = asyncio.run(main())',
]);

const DEADLOCK = src([
  'import asyncio',
  'async def main():',
  '    print("waiting")',
  '    await asyncio.get_running_loop().create_future()',
  '__aiospec_result__ = asyncio.run(main())',
]);

const THREAD_DEADLOCK = src([
  'import threading, concurrent.futures',
  'f = concurrent.futures.Future()',
  'def w():',
  '    f.result()',
  'threading.Thread(target=w).start()',
  'print("module done")',
]);

const BLOCKING_SLEEP = src([
  'import asyncio, time',
  'async def ticker():',
  '    for i in range(3):',
  '        print("tick", i)',
  '        await asyncio.sleep(1)',
  'async def main():',
  '    t = asyncio.create_task(ticker())',
  '    await asyncio.sleep(0)',
  '    time.sleep(2.5)',
  '    print("woke")',
  '    await t',
  '__aiospec_result__ = asyncio.run(main())',
]);

const WARNINGS = src([
  'import asyncio, warnings',
  'async def f():',
  '    pass',
  'async def main():',
  '    await asyncio.sleep(1)',
  '    f()',
  '    warnings.warn("careful", DeprecationWarning)',
  '    warnings.warn("closing", ResourceWarning)',
  '__aiospec_result__ = asyncio.run(main())',
]);

const RAISES = src([
  'import asyncio',
  'async def boom():',
  '    raise ValueError("boom", 2)',
  'async def main():',
  '    t = asyncio.create_task(boom())',
  '    await asyncio.sleep(1)',
  '    del t',
  '    await asyncio.sleep(1)',
  '    raise KeyError("k")',
  '__aiospec_result__ = asyncio.run(main())',
]);

const CANCELLED = src([
  'import asyncio',
  'async def main():',
  '    t = asyncio.create_task(asyncio.sleep(10))',
  '    await asyncio.sleep(1)',
  '    t.cancel()',
  '    await t',
  '__aiospec_result__ = asyncio.run(main())',
]);

const MODULE_BODY = src([
  'import asyncio',
  'async def main():',
  '    await asyncio.sleep(1)',
  '    return 1',
  'print(asyncio.run(main()))',
  'print(asyncio.run(main()), end="")',
]);

const LIVELOCK = src([
  'import asyncio',
  'async def main():',
  '    while True:',
  '        await asyncio.sleep(0)',
  'asyncio.run(main())',
]);

function cpythonServer(executable: string, env: NodeJS.ProcessEnv = adapterEnv(process.env, 10000)): Server {
  const { command, args } = adapterCommand(executable, SERVER);
  return new Server(command, args, env);
}

function interpreters(): PythonInterpreter[] {
  try {
    return discoverPythons();
  } catch {
    return [];
  }
}

const FOUND = interpreters();

describe('conformance/python discovery', () => {
  it('orders versions numerically, pre-releases before releases', () => {
    expect(compareVersions('3.9.18', '3.10.0')).to.be.lessThan(0);
    expect(compareVersions('3.14.0rc1', '3.14.0')).to.be.lessThan(0);
    expect(compareVersions('3.11.7', '3.11.7')).to.equal(0);
  });

  it('finds at most one interpreter per minor version, sorted, each a working CPython', function () {
    // With no interpreter found every check below would hold vacuously.
    if (FOUND.length === 0) this.skip();
    const minors = FOUND.map((p) => p.minor);
    expect(new Set(minors).size).to.equal(minors.length);
    const sorted = FOUND.slice().sort((a, b) => compareVersions(a.version, b.version));
    expect(FOUND.map((p) => p.version)).to.deep.equal(sorted.map((p) => p.version));
    for (const p of FOUND) {
      expect(p.version.startsWith(p.minor + '.')).to.equal(true);
      expect(fs.existsSync(p.path)).to.equal(true);
    }
  });

  it('honours AIOSPEC_PYTHONS', function () {
    const python3 = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
    if (python3.status !== 0) this.skip();
    const exe = python3.stdout.trim();
    const found = discoverPythons({ env: { AIOSPEC_PYTHONS: exe, PATH: '' }, noPyenv: true });
    expect(found).to.have.length(1);
    expect(found[0].path).to.equal(exe);
  });

  it('builds process adapter options for cpython.ts', function () {
    if (FOUND.length === 0) this.skip();
    const opts = processAdapterOptions(FOUND[0].minor, { timeoutMs: 5000 });
    expect(opts.command).to.equal(FOUND[0].path);
    expect(opts.args).to.deep.equal(['-B', '-s', SERVER]);
    expect(opts.env!.PYTHONHASHSEED).to.equal('0');
    expect(opts.env!.AIOSPEC_TIMEOUT).to.equal('4');
    expect(opts.timeoutMs).to.equal(5000);
  });
});

for (const minor of MINORS) {
  const py = FOUND.find((p) => p.minor === minor);
  if (!py) {
    describe(`CPython ${minor} adapter`, () => {
      it(`CPython ${minor} not found on this machine (skipped)`);
    });
    continue;
  }
  const [, min] = py.version.split('.').map(Number);
  describe(`CPython ${py.version} adapter (${py.path})`, function () {
    this.timeout(30000);
    let server: Server;

    before(async () => {
      server = cpythonServer(py.path);
      const hello = await server.next();
      expect(validHello(hello), JSON.stringify(validHello.errors)).to.equal(true);
      expect(hello.python).to.equal(py.version);
      expect(hello.implementation).to.deep.equal({ name: 'cpython', version: py.version });
      // The oracle declares every capability on every version: what a
      // release lacks is its behaviour, recorded by version variants.
      expect(hello.capabilities).to.include.members(['python-source', 'threads', 'thread-blocking', 'task-names', 'to-thread', 'generator-coroutines']);
    });

    after(async () => {
      if (server) expect(await server.bye()).to.equal(0);
    });

    it('runs sleeps and prints on the virtual clock, with CPython float arithmetic', async () => {
      const r = await server.run(SAY_AFTER);
      expect(prints(r)).to.deep.equal([[1, 'hello'], [2, 'world'], [2.3000000000000003, '2.3000000000000003']]);
      expect(r.outcome).to.deep.equal({ kind: 'returned', repr: "['Task-2', True]" });
      expect(r.tasks.slice(0, 2)).to.deep.equal([
        { name: 'Task-1', state: 'finished', value: "['Task-2', True]" },
        { name: 'Task-2', state: 'finished', value: 'None' },
      ]);
    });

    it('starts every scenario with fresh default task names', async () => {
      const a = await server.run(SAY_AFTER);
      const b = await server.run(SAY_AFTER);
      expect(a.tasks.map((t: Msg) => t.name)).to.deep.equal(b.tasks.map((t: Msg) => t.name));
      expect(a.tasks[0].name).to.equal('Task-1');
    });

    it('runs one thread per executor job on the virtual clock', async () => {
      const r = await server.run(EXECUTOR);
      expect(prints(r)).to.deep.equal([
        [0, 'start 2'], [0, 'start 1'], [1, 'end 1'], [2, 'end 2'], [2, "[20, 10, 'slept']"],
      ]);
      expect(r.outcome).to.deep.equal({ kind: 'returned', repr: '2.0' });
    });

    if (min >= 9) {
      it('runs asyncio.to_thread', async () => {
        const r = await server.run(TO_THREAD);
        expect(prints(r)).to.deep.equal([[3, '3']]);
      });
    }

    it('serves run_coroutine_threadsafe from a thread, with result(timeout)', async () => {
      const r = await server.run(THREADSAFE);
      expect(prints(r)).to.deep.equal([[1.5, 'timeout'], [4, 'result 4'], [10, 'joined False']]);
      expect(r.outcome).to.deep.equal({ kind: 'returned', repr: 'None' });
    });

    it('reports a loop waiting for ever as a deadlock', async () => {
      const r = await server.run(DEADLOCK);
      expect(r.outcome).to.deep.equal({ kind: 'deadlock' });
      expect(prints(r)).to.deep.equal([[0, 'waiting']]);
      expect(r.tasks[0]).to.deep.equal({ name: 'Task-1', state: 'pending' });
    });

    it('reports a thread that can never end at interpreter exit as a deadlock', async () => {
      const r = await server.run(THREAD_DEADLOCK);
      expect(prints(r)).to.deep.equal([[0, 'module done']]);
      expect(r.outcome).to.deep.equal({ kind: 'deadlock' });
    });

    it('stalls the loop during time.sleep in a coroutine', async () => {
      const r = await server.run(BLOCKING_SLEEP);
      expect(prints(r)).to.deep.equal([[0, 'tick 0'], [2.5, 'woke'], [2.5, 'tick 1'], [3.5, 'tick 2']]);
    });

    it('captures warnings (not ResourceWarning) when they are issued', async () => {
      const r = await server.run(WARNINGS);
      const warnings = r.events.filter((e: Msg) => e.kind === 'warning');
      expect(warnings).to.deep.equal([
        { t: 1, kind: 'warning', category: 'RuntimeWarning', message: "coroutine 'f' was never awaited" },
        { t: 1, kind: 'warning', category: 'DeprecationWarning', message: 'careful' },
      ]);
    });

    it('reports an uncaught exception, a failed task and its log at the time it dies', async () => {
      const r = await server.run(RAISES);
      expect(r.outcome).to.deep.equal({ kind: 'raised', type: 'KeyError', args: ["'k'"], str: "'k'" });
      expect(r.events).to.deep.equal([{ t: 1, kind: 'log', level: 'ERROR', message: 'Task exception was never retrieved' }]);
      expect(r.tasks[0]).to.deep.equal({ name: 'Task-1', state: 'failed', value: "KeyError('k')" });
      expect(r.tasks[1]).to.deep.equal({ name: 'Task-2', state: 'failed', value: "ValueError('boom', 2)" });
    });

    it('names exception types with their asyncio / concurrent.futures module', async () => {
      const r = await server.run(CANCELLED);
      const expected = min === 7 ? 'concurrent.futures.CancelledError' : 'asyncio.CancelledError';
      expect(r.outcome).to.deep.equal({ kind: 'raised', type: expected, args: [], str: '' });
      expect(r.tasks[1]).to.deep.equal({ name: 'Task-2', state: 'cancelled' });
    });

    it('runs a module body with several asyncio.run calls on one clock', async () => {
      const r = await server.run(MODULE_BODY);
      expect(prints(r)).to.deep.equal([[1, '1'], [2, '1']]);
      expect(r.outcome).to.deep.equal({ kind: 'returned', repr: 'None' });
    });

    it('refuses a request without source, and goes on', async () => {
      server.send({ type: 'run', seq: 999, id: 'x', python: minor, program: {} });
      const r = await server.next();
      expect(r).to.include({ type: 'error', seq: 999 });
      const again = await server.run(SAY_AFTER);
      expect(again.type).to.equal('result');
    });

    it('says how a scenario process that died without a result ended, and goes on', async () => {
      const killed = await server.run(src(['import os, signal', 'os.kill(os.getpid(), signal.SIGKILL)']));
      expect(killed).to.include({ type: 'error', message: 'the scenario process died without a result (killed by signal 9)' });
      const exited = await server.run(src(['import os', 'os._exit(3)']));
      expect(exited).to.include({ type: 'error', message: 'the scenario process died without a result (exit status 3)' });
      expect((await server.run(SAY_AFTER)).type).to.equal('result');
    });

    it('stops a livelock with its real-time watchdog', async () => {
      const s = cpythonServer(py.path, { ...adapterEnv(process.env, 10000), AIOSPEC_TIMEOUT: '0.5' });
      try {
        await s.next();
        const r = await s.run(LIVELOCK);
        expect(r.type).to.equal('error');
        expect(r.message).to.match(/timed out/);
        const after = await s.run(SAY_AFTER);
        expect(after.type).to.equal('result');
      } finally {
        await s.bye();
      }
    });

    it('runs run_one.py standalone and prints the trace', () => {
      const { command, args } = adapterCommand(py.path, RUN_ONE);
      const out = spawnSync(command, args, { input: SAY_AFTER, encoding: 'utf8', env: adapterEnv() });
      expect(out.status, out.stderr).to.equal(0);
      expect(out.stdout.split('\n').slice(0, 4)).to.deep.equal([
        '1        hello',
        '2        world',
        '2.3000000000000003 2.3000000000000003',
        "outcome  returned ['Task-2', True]",
      ]);
    });
  });
}
