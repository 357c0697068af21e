import { expect } from 'chai';
import { describeScenarios, type MochaLike } from '../../api';
import { fixtureCorpus, fixtureProcess } from './helpers';

/** Records what describeScenarios registers, then runs it like mocha would. */
function recorder() {
  const tests: { title: string; fn: (this: { skip(): void }) => Promise<void> }[] = [];
  const hooks: { before: (() => Promise<void>)[]; after: (() => Promise<void>)[] } = { before: [], after: [] };
  let suite = '';
  const mocha: MochaLike = {
    describe: (title, fn) => { suite = title; fn(); },
    it: (title, fn) => tests.push({ title, fn }),
    before: (fn) => hooks.before.push(fn),
    after: (fn) => hooks.after.push(fn),
  };
  const run = async () => {
    const outcomes: Record<string, string> = {};
    for (const h of hooks.before) await h();
    try {
      for (const t of tests) {
        let skipped = false;
        try {
          await t.fn.call({ skip: () => { skipped = true; } });
          outcomes[t.title] = skipped ? 'skipped' : 'passed';
        } catch (err) {
          outcomes[t.title] = `failed: ${(err as Error).message.split('\n')[2]?.trim()}`;
        }
      }
    } finally {
      for (const h of hooks.after) await h();
    }
    return outcomes;
  };
  return { mocha, tests, run, suite: () => suite };
}

describe('describeScenarios', () => {
  it('registers one test per scenario named <id>: <title>, failing with the first divergence and skipping what does not apply', async () => {
    const r = recorder();
    describeScenarios({ impl: { process: fixtureProcess('echo') }, corpus: fixtureCorpus(), title: 'echo' }, r.mocha);
    expect(r.suite()).to.equal('echo');
    expect(r.tests.map((t) => t.title)).to.include('harness.a-passes: echo prints a');
    expect(await r.run()).to.deep.equal({
      'harness.a-passes: echo prints a': 'passed',
      'harness.b-passes: echo prints b': 'passed',
      'harness.c-fails: echo prints c where the expectation says not-c': 'failed: trace[0]: expected [0, "not-c"], got [0, "c"]',
      'harness.d-passes: echo prints d': 'passed',
      'harness.e-needs-threads: a scenario that requires threads': 'skipped',
      'harness.f-old-python: a scenario for Python 3.7 only': 'skipped',
    });
  });
});
