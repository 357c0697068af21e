import { expect } from 'chai';
import * as path from 'path';
import { ROOT } from '../deps';
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
});
