import { expect } from 'chai';
import { acceptsEnv, installedPyodides, npmInstallLine, processAdapterOptions, pythonOfRelease } from '../pyodide';
import { Server, prints, sayAfterSource, src, validHello } from './ndjson';

// Runs the Pyodide adapter (conformance/python/pyodide.ts) on every Pyodide
// release installed under an alias (`pyodide-0.27`, ...; see
// PYODIDE_RELEASES). Releases are optional: with none installed the suite
// is one pending test saying so. Each release takes seconds to start.

const SAY_AFTER = sayAfterSource(['    return t.get_name()']);

const DEADLOCK = src([
  'import asyncio',
  'async def main():',
  '    await asyncio.get_running_loop().create_future()',
  '__aiospec_result__ = asyncio.run(main())',
]);

const SLEEP_IN_CORO = src([
  'import asyncio, time, warnings',
  'async def main():',
  '    time.sleep(1.5)',
  '    warnings.warn("w", DeprecationWarning)',
  '    raise ValueError("v")',
  '__aiospec_result__ = asyncio.run(main())',
]);

const HASH_RANDOMIZATION = src(['import sys', '__aiospec_result__ = sys.flags.hash_randomization']);

describe('conformance/python/pyodide release table', () => {
  it('knows which releases take loadPyodide({env})', () => {
    expect(acceptsEnv('0.23.4')).to.equal(false);
    expect(acceptsEnv('0.24.0')).to.equal(true);
    expect(acceptsEnv('314.0.7')).to.equal(true);
  });

  it('maps npm versions to the CPython they ship', () => {
    expect(pythonOfRelease('0.27.7')).to.equal('3.12.7');
    expect(pythonOfRelease('0.22.1')).to.equal('3.10');
    expect(pythonOfRelease('314.0.9')).to.equal('3.14');
    expect(pythonOfRelease('0.20.0')).to.equal(undefined);
    expect(npmInstallLine()).to.match(/^npm install --save-optional pyodide-0\.21@npm:pyodide@0\.21\.3 /);
  });
});

const RELEASES = installedPyodides();
if (RELEASES.length === 0) {
  describe('Pyodide adapter', () => {
    it(`no Pyodide release installed (skipped; ${npmInstallLine()})`);
  });
}

for (const rel of RELEASES) {
  describe(`Pyodide ${rel.npm} adapter (${rel.alias}, Python ${rel.python})`, function () {
    this.timeout(120000);
    let server: Server;

    before(async () => {
      const opts = processAdapterOptions(rel.python);
      server = new Server(opts.command, opts.args ?? [], opts.env ?? process.env);
      const hello = await server.next();
      expect(validHello(hello), JSON.stringify(validHello.errors)).to.equal(true);
      expect(hello.implementation.name).to.equal('pyodide');
      // Threads are the one thing missing; blocking calls and the
      // threadsafe entry points work on the main thread under virtual time.
      expect(hello.capabilities).to.not.include('threads');
      expect(hello.capabilities).to.not.include('to-thread');
      expect(hello.capabilities).to.include.members(['thread-blocking', 'run-coroutine-threadsafe', 'task-groups', 'eager-tasks']);
    });

    after(async () => {
      if (server) await server.bye();
    });

    it('runs on the virtual clock with fresh task names per scenario', async () => {
      for (let i = 0; i < 2; i++) {
        const r = await server.run(SAY_AFTER);
        expect(prints(r)).to.deep.equal([[1, 'hello'], [2, 'world']]);
        expect(r.outcome).to.deep.equal({ kind: 'returned', repr: "'Task-2'" });
        expect(r.tasks[0].name).to.equal('Task-1');
      }
    });

    // PYTHONHASHSEED=0 must reach Python itself (loadPyodide's env), not only
    // the node process; releases that cannot take it keep randomization on.
    it(`runs with hash randomization ${acceptsEnv(rel.npm) ? 'off' : 'on (no loadPyodide env before 0.24)'}`, async () => {
      const r = await server.run(HASH_RANDOMIZATION);
      expect(r.outcome).to.deep.equal({ kind: 'returned', repr: acceptsEnv(rel.npm) ? '0' : '1' });
    });

    it('reports a deadlock and goes on', async () => {
      const r = await server.run(DEADLOCK);
      expect(r.outcome).to.deep.equal({ kind: 'deadlock' });
      const again = await server.run(SAY_AFTER);
      expect(prints(again)).to.deep.equal([[1, 'hello'], [2, 'world']]);
    });

    it('advances the clock in time.sleep and captures warnings and exceptions', async () => {
      const r = await server.run(SLEEP_IN_CORO);
      expect(r.events).to.deep.equal([{ t: 1.5, kind: 'warning', category: 'DeprecationWarning', message: 'w' }]);
      expect(r.outcome).to.deep.equal({ kind: 'raised', type: 'ValueError', args: ["'v'"], str: 'v' });
    });
  });
}
