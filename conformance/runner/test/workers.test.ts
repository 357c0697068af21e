import { expect } from 'chai';
import * as path from 'path';
import { ROOT } from '../deps';
import { loadCorpus } from '../corpus';
import { startExecutor } from '../impls';
import { runScenarios } from '../run';
import { fixtureCorpus } from './helpers';

const moduleImpl = (name: string) => `module:${path.join(ROOT, 'fixtures', 'adapters', `${name}.js`)}`;

describe('worker threads for in-process adapters', () => {
  const corpus = fixtureCorpus();

  it('reports an adapter exception as errored for each scenario, on this thread or in workers', async () => {
    for (const jobs of [1, 2]) {
      const report = await runScenarios({ impl: moduleImpl('inprocess-throws'), corpus, jobs, filter: ['harness.[a-d]*'] });
      expect(report.summary).to.deep.include({ total: 4, errored: 4 });
      expect(report.scenarios[0].reason).to.equal('harness error: this adapter cannot open a session');
    }
  });

  it('terminates a worker stuck in a synchronous loop and goes on with a fresh one', async () => {
    const report = await runScenarios({ impl: moduleImpl('inprocess-spins'), corpus, jobs: 2, python: '3.11', timeoutMs: 300, filter: ['harness.[a-d]*'] });
    expect(report.summary).to.deep.include({ total: 4, errored: 4 });
    for (const s of report.scenarios) expect(s.reason).to.equal('hung: no result within 300 ms; worker terminated');
  });

  it('reports a scenario that loops for ever hung at --jobs 1, and runs the next one', async () => {
    const hang = loadCorpus([path.join(ROOT, 'fixtures', 'hang')]);
    const report = await runScenarios({ impl: 'reference', corpus: hang, jobs: 1, timeoutMs: 1000 });
    expect(report.scenarios.map((s) => [s.id, s.status])).to.deep.equal([['harness.loops-forever', 'errored'], ['harness.then-passes', 'passed']]);
    expect(report.scenarios[0].reason).to.equal('hung: no result within 1000 ms; worker terminated');
  });

  it('replaces a worker that dies while idle instead of handing it the next scenario', async () => {
    const hang = loadCorpus([path.join(ROOT, 'fixtures', 'hang')]);
    const next = hang.scenarios.find((s) => s.id === 'harness.then-passes')!;
    const ex = await startExecutor(moduleImpl('inprocess-dies-when-idle'), { jobs: 1, timeoutMs: 2000 });
    try {
      expect((await ex.run(next, '3.10')).ok).to.equal(true);
      // Give the worker time to exit while idle.
      await new Promise((r) => setTimeout(r, 300));
      const second = await ex.run(next, '3.10');
      expect(second.reason).to.equal(undefined);
      expect(second.ok).to.equal(true);
    } finally {
      await ex.close();
    }
  });
});
