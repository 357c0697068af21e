import { expect } from 'chai';
import * as path from 'path';
import type { InProcessAdapter } from '../../adapters/adapter';
import { validateReport } from '../../reporters/json';
import type { RunResult } from '../../results';
import { ROOT, type InterpretFn } from '../deps';
import { Expectations } from '../expectations';
import { StartError, UsageError } from '../impls';
import { CorpusError, runMatrix, runScenarios } from '../run';
import type { Report } from '../types';
import { fixtureCorpus, fixtureProcess } from './helpers';

const statuses = (r: Report) => Object.fromEntries(r.scenarios.map((s) => [s.id.replace('harness.', ''), s.status]));

const fakeAdapter: InProcessAdapter = {
  info: () => ({ name: 'fake', version: '0', pythons: ['3.10', '3.11'], capabilities: ['threads'] }),
  open: () => { throw new Error('the fake interpreter never opens a session'); },
};
const printsLetter: InterpretFn = async (s) => {
  const letter = s.id.split('.')[1][0];
  if (letter === 'd') throw new Error('interpreter bug on d');
  return { events: [{ t: 0, kind: 'print', text: letter }], outcome: { kind: 'returned', repr: 'None' }, tasks: [] } as RunResult;
};

describe('run', () => {
  const corpus = fixtureCorpus();

  it('gives every scenario one status, in id order, with a summary', async () => {
    const report = await runScenarios({ impl: { process: fixtureProcess('echo') }, corpus });
    expect(statuses(report)).to.deep.equal({
      'a-passes': 'passed', 'b-passes': 'passed', 'c-fails': 'failed', 'd-passes': 'passed',
      'e-needs-threads': 'unsupported', 'f-old-python': 'not-applicable',
    });
    expect(report.summary).to.deep.include({ total: 6, passed: 3, failed: 1, unsupported: 1, not_applicable: 1, errored: 0 });
    expect(report.implementation).to.deep.include({ name: 'aiospec-echo', version: '1.0.0', python: '3.11.7' });
    expect(report.scenarios.map((s) => s.id)).to.deep.equal(corpus.scenarios.map((s) => s.id).sort());
    expect(report.scenarios[2].divergence!.message).to.equal('trace[0]: expected [0, "not-c"], got [0, "c"]');
    expect(report.scenarios[0].file).to.equal(path.join('fixtures', 'adapters', 'scenarios', 'a-passes.yaml'));
    expect(validateReport(report)).to.deep.equal([]);
  });

  it('keeps the report complete when the implementation crashes on one scenario', async () => {
    const report = await runScenarios({ impl: { process: fixtureProcess('crash', '--on', 'harness.b-passes') }, corpus });
    expect(statuses(report)).to.deep.include({ 'a-passes': 'passed', 'b-passes': 'errored', 'c-fails': 'failed', 'd-passes': 'passed' });
    expect(report.summary.total).to.equal(6);
    expect(report.scenarios[1].reason).to.match(/^implementation crashed: exited with status 3/);
  });

  it('keeps the report complete when the implementation hangs on one scenario', async () => {
    const report = await runScenarios({ impl: { process: fixtureProcess('hang', '--on', 'harness.c-fails') }, corpus, timeoutMs: 300 });
    expect(statuses(report)).to.deep.include({ 'a-passes': 'passed', 'b-passes': 'passed', 'c-fails': 'errored', 'd-passes': 'passed' });
    expect(report.scenarios[2].reason).to.contain('hung');
  });

  it('keeps the report complete when the implementation prints garbage on one scenario', async () => {
    const report = await runScenarios({ impl: { process: fixtureProcess('garbage', '--on', 'harness.a-passes') }, corpus });
    expect(statuses(report)).to.deep.include({ 'a-passes': 'errored', 'b-passes': 'passed', 'd-passes': 'passed' });
  });

  it('reports every scenario errored, with the reason, when the implementation speaks another protocol', async () => {
    const report = await runScenarios({ impl: { process: fixtureProcess('wrong-protocol') }, corpus, filter: ['harness.[a-d]*'] });
    expect(report.summary).to.deep.include({ total: 4, errored: 4 });
    expect(report.scenarios[0].reason).to.contain('protocol 2');
    expect(validateReport(report)).to.deep.equal([]);
  });

  it('gives the same report order with several processes as with one', async () => {
    const one = await runScenarios({ impl: { process: fixtureProcess('echo') }, corpus });
    const three = await runScenarios({ impl: { process: fixtureProcess('echo') }, corpus, jobs: 3 });
    expect(three.scenarios.map((s) => [s.id, s.status])).to.deep.equal(one.scenarios.map((s) => [s.id, s.status]));
  });

  it('applies known failures: an expected failure, an unexpected pass, an entry matching nothing', async () => {
    const report = await runScenarios({
      impl: { process: fixtureProcess('echo') }, corpus,
      expectations: path.join(ROOT, 'fixtures', 'expectations', 'echo.yaml'),
    });
    expect(statuses(report)).to.deep.include({ 'a-passes': 'unexpected-pass', 'c-fails': 'expected-failure', 'b-passes': 'passed' });
    expect(report.scenarios[2].reason).to.contain('prints c');
    expect(report.expectations!.unmatched.map((u) => u.pattern)).to.deep.equal(['harness.no-such-scenario']);
    expect(validateReport(report)).to.deep.equal([]);
  });

  it('runs a shard of the sorted selection', async () => {
    const report = await runScenarios({ impl: { process: fixtureProcess('echo') }, corpus, shard: { index: 1, count: 2 } });
    expect(report.scenarios.map((s) => s.id)).to.deep.equal(['harness.b-passes', 'harness.d-passes', 'harness.f-old-python']);
    expect(report.selection).to.deep.equal({ shard: '2/2' });
  });

  it('runs in-process adapters and turns a harness exception into errored', async () => {
    const report = await runScenarios({ impl: { adapter: fakeAdapter, interpret: printsLetter }, corpus });
    expect(report.implementation.python).to.equal('3.10');
    expect(statuses(report)).to.deep.equal({
      'a-passes': 'passed', 'b-passes': 'passed', 'c-fails': 'failed', 'd-passes': 'errored',
      'e-needs-threads': 'passed', 'f-old-python': 'not-applicable',
    });
    expect(report.scenarios[3].reason).to.equal('harness error: interpreter bug on d');
  });

  it('times out an in-process run that never settles', async () => {
    const never: InterpretFn = () => new Promise(() => {});
    const report = await runScenarios({ impl: { adapter: fakeAdapter, interpret: never }, corpus, filter: ['harness.a-*'], timeoutMs: 50 });
    expect(report.scenarios[0]).to.deep.include({ status: 'errored' });
    expect(report.scenarios[0].reason).to.contain('no result within 50 ms');
  });

  it('refuses a Python version the implementation cannot be', async () => {
    let caught: unknown;
    try {
      await runScenarios({ impl: { adapter: fakeAdapter, interpret: printsLetter }, corpus, python: '3.7' });
    } catch (err) {
      caught = err;
    }
    expect(String(caught)).to.contain('cannot behave as Python 3.7');
  });

  it('refuses to run a corpus that did not load cleanly', async () => {
    let caught: unknown;
    try {
      await runScenarios({ impl: { process: fixtureProcess('echo') }, corpus: { ...corpus, errors: ['x.yaml:1:1: broken'] } });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(CorpusError);
  });

  describe('runMatrix', () => {
    it('refuses a version an in-process implementation lacks before running any version', async () => {
      let calls = 0;
      const counting: InterpretFn = async (sc, a, py) => { calls++; return printsLetter(sc, a, py); };
      let caught: unknown;
      try {
        await runMatrix({ impl: { adapter: fakeAdapter, interpret: counting }, corpus, pythons: ['3.10', '3.6'] });
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(UsageError);
      expect((caught as Error).message).to.contain('cannot behave as Python 3.6');
      expect(calls).to.equal(0);
    });

    it('reports a version that cannot start all errored, hands each report over as it completes, and runs the next', async () => {
      const seen: string[] = [];
      const reports = await runMatrix({
        impl: { process: fixtureProcess('echo') }, corpus, pythons: ['3.11', '3.9', '3.11'], filter: ['harness.[ab]*'],
        onReport: (r) => seen.push(`${r.implementation.python}:${r.summary.passed}/${r.summary.errored}`),
      });
      // echo is Python 3.11.7: the 3.9 run cannot start, the 3.11 run after it still happens.
      expect(seen).to.deep.equal(['3.11.7:2/0', '3.9:0/2', '3.11.7:2/0']);
      expect(reports[1].scenarios.map((s) => s.status)).to.deep.equal(['errored', 'errored']);
      expect(reports[1].scenarios[0].reason).to.contain('is Python 3.11.7, not 3.9');
      expect(validateReport(reports[1])).to.deep.equal([]);
    });

    it('lets the start failure of a single version propagate: there is nothing else to keep', async () => {
      let caught: unknown;
      try {
        await runMatrix({ impl: { process: fixtureProcess('echo') }, corpus, pythons: ['3.9'] });
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(StartError);
    });

    it('loads the known-failures file once for all versions', async () => {
      const load = Expectations.load;
      let loads = 0;
      Expectations.load = (file: string) => { loads++; return load.call(Expectations, file); };
      try {
        const reports = await runMatrix({
          impl: { process: fixtureProcess('echo') }, corpus, pythons: ['3.11', '3.11'], filter: ['harness.a*'],
          expectations: path.join(ROOT, 'fixtures', 'expectations', 'echo.yaml'),
        });
        expect(reports).to.have.length(2);
      } finally {
        Expectations.load = load;
      }
      expect(loads).to.equal(1);
    });
  });
});
