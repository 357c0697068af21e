import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ProcessAdapter, ScenarioError, encodeProgram, parseCommandLine, protocolValidators } from '../../adapters/process';
import type { Scenario } from '../../language/ast';
import { ProcessExecutor } from '../executor';
import { fixtureCorpus, fixtureProcess, fixtureScenario } from './helpers';

async function rejection(p: Promise<unknown>): Promise<ScenarioError> {
  try {
    await p;
  } catch (err) {
    return err as ScenarioError;
  }
  throw new Error('expected a rejection');
}

describe('process adapter', () => {
  const adapters: ProcessAdapter[] = [];
  const make = (opts: ReturnType<typeof fixtureProcess> & { timeoutMs?: number }) => {
    const a = new ProcessAdapter(opts);
    adapters.push(a);
    return a;
  };
  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((a) => a.close()));
  });

  it('greets, runs scenarios in one long-lived process and says bye', async () => {
    const a = make(fixtureProcess('echo'));
    const hello = await a.start();
    expect(hello).to.deep.include({ protocol: 1, python: '3.11.7' });
    const r1 = await a.run(fixtureScenario('harness.a-passes'), '3.11');
    const r2 = await a.run(fixtureScenario('harness.b-passes'), '3.11');
    expect(r1.events).to.deep.equal([{ t: 0, kind: 'print', text: 'a' }]);
    expect(r2.outcome).to.deep.equal({ kind: 'returned', repr: 'None' });
    expect(a.spawned).to.equal(1);
  });

  it('sends ints as {"int": "..."} and non-finite floats as strings', () => {
    const json = encodeProgram({ module: [{ print: [123456789012345678901234567890n, { float: Infinity }, { float: 1.5 }] }] });
    expect(JSON.parse(json)).to.deep.equal({ module: [{ print: [{ int: '123456789012345678901234567890' }, { float: 'inf' }, { float: 1.5 }] }] });
  });

  it('sends the compiled source to a process that declares python-source', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aiospec-')), 'sources.ndjson');
    const a = make({ ...fixtureProcess('echo', '--capabilities', 'python-source', '--source-file', file), sourceFor: (s: Scenario, py: string) => `# ${s.id} on ${py}\n` });
    await a.run(fixtureScenario('harness.a-passes'), '3.11');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).to.deep.equal({ id: 'harness.a-passes', python: '3.11', source: '# harness.a-passes on 3.11\n' });
  });

  it('fails the scenario in flight when the process crashes, with its exit status and stderr, then restarts', async () => {
    const a = make(fixtureProcess('crash', '--on', 'harness.b-passes'));
    const err = await rejection(a.run(fixtureScenario('harness.b-passes'), '3.11'));
    expect(err).to.be.instanceOf(ScenarioError);
    expect(err.kind).to.equal('crash');
    expect(err.message).to.contain('exited with status 3').and.contain('dying on harness.b-passes');
    expect((await a.run(fixtureScenario('harness.c-fails'), '3.11')).events[0].t).to.equal(0);
    expect(a.spawned).to.equal(2);
  });

  it('kills a process that hangs past the timeout and fails only that scenario', async () => {
    const a = make({ ...fixtureProcess('hang', '--on', 'harness.b-passes'), timeoutMs: 300 });
    const err = await rejection(a.run(fixtureScenario('harness.b-passes'), '3.11'));
    expect(err.kind).to.equal('timeout');
    expect(err.message).to.contain('no answer for scenario harness.b-passes within 300 ms; killed');
    await a.run(fixtureScenario('harness.a-passes'), '3.11');
  });

  for (const [kind, says] of [['text', 'not JSON'], ['schema', "must have required property 'outcome'"], ['seq', 'answer for seq']] as const) {
    it(`treats a ${kind === 'text' ? 'non-JSON line' : kind === 'schema' ? 'schema-invalid result' : 'result for the wrong request'} as a protocol violation`, async () => {
      const a = make(fixtureProcess('garbage', '--on', 'harness.b-passes', '--kind', kind));
      const err = await rejection(a.run(fixtureScenario('harness.b-passes'), '3.11'));
      expect(err.kind).to.equal('garbage');
      expect(err.message).to.contain('protocol violation').and.contain(says);
      await a.run(fixtureScenario('harness.a-passes'), '3.11');
    });
  }

  it('refuses a process that speaks another protocol version, and gives up after a few tries', async () => {
    const a = make(fixtureProcess('wrong-protocol'));
    for (let k = 0; k < 3; k++) {
      const err = await rejection(a.run(fixtureScenario('harness.a-passes'), '3.11'));
      expect(err.message).to.equal('wrong protocol version: the implementation speaks protocol 2, this harness speaks protocol 1');
    }
    const last = await rejection(a.run(fixtureScenario('harness.a-passes'), '3.11'));
    expect(last.message).to.match(/^implementation not restarted after 3 failed starts; last: wrong protocol version/);
    expect(a.spawned).to.equal(3);
  });

  it('explains a command that cannot be started', async () => {
    const a = make({ command: '/nonexistent/aiospec-impl', args: [] });
    const err = await rejection(a.start());
    expect(err.message).to.contain('could not start /nonexistent/aiospec-impl');
  });

  it('costs a crashing implementation only its own scenario in a pool', async () => {
    const ex = await ProcessExecutor.start(fixtureProcess('crash', '--on', 'harness.b-passes'), 2);
    try {
      const ids = fixtureCorpus().scenarios.map((s) => s.id).slice(0, 4);
      const results = await Promise.all(ids.map((id) => ex.run(fixtureScenario(id), '3.11')));
      expect(results.map((r) => r.ok)).to.deep.equal([true, false, true, true]);
      expect(results[1].reason).to.contain('crashed');
    } finally {
      await ex.close();
    }
  });

  it('validates every message against the schemas in spec/protocol', () => {
    const v = protocolValidators();
    expect(v.bye({ type: 'bye' })).to.equal(true);
    expect(v.run({ type: 'run', seq: 1, id: 'x', python: '3.11', program: {} })).to.equal(true);
    expect(v.run({ type: 'run', seq: 1, id: 'x', python: '3.11.7', program: {} })).to.equal(false);
    expect(v.error({ type: 'error', seq: 1, message: 'no threads here' })).to.equal(true);
    expect(v.result({ type: 'result', seq: 1, events: [{ t: 0, kind: 'print', text: 'x' }], outcome: { kind: 'deadlock' }, tasks: [] })).to.equal(true);
    expect(v.result({ type: 'result', seq: 1, events: [{ t: 0, kind: 'print' }], outcome: { kind: 'deadlock' }, tasks: [] })).to.equal(false);
  });

  it('splits a process command line with quotes', () => {
    expect(parseCommandLine(`python3 -m "aiospec adapter" 'a b' c`)).to.deep.equal({ command: 'python3', args: ['-m', 'aiospec adapter', 'a b', 'c'] });
  });
});
