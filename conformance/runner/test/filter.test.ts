import { expect } from 'chai';
import type { Scenario } from '../../language/ast';
import { UsageError } from '../types';
import { applicability, parseShard, select, selectChecked, splitList } from '../filter';

const s = (id: string, covers: string[] = [], tags: string[] = []) =>
  ({ id, covers, tags, python: '>=3.7' }) as unknown as Scenario;
const corpus = [s('wait.b', ['wait.timeout']), s('gather.a', ['gather.result-order'], ['docs-example']), s('wait.a'), s('gather.b', [], ['slow'])];

describe('filter', () => {
  it('sorts by id so that every run has the same order', () => {
    expect(select(corpus).map((x) => x.id)).to.deep.equal(['gather.a', 'gather.b', 'wait.a', 'wait.b']);
  });

  it('keeps scenarios whose id matches any glob', () => {
    expect(select(corpus, { filter: ['gather.*'] }).map((x) => x.id)).to.deep.equal(['gather.a', 'gather.b']);
    expect(select(corpus, { filter: ['*.a', 'wait.b'] }).map((x) => x.id)).to.deep.equal(['gather.a', 'wait.a', 'wait.b']);
  });

  it('keeps scenarios covering a matching behaviour', () => {
    expect(select(corpus, { covers: ['wait.*'] }).map((x) => x.id)).to.deep.equal(['wait.b']);
  });

  it('keeps scenarios carrying any of the tags', () => {
    expect(select(corpus, { tags: ['slow', 'docs-example'] }).map((x) => x.id)).to.deep.equal(['gather.a', 'gather.b']);
  });

  it('splits the sorted selection into interleaved shards that together cover it once', () => {
    const shards = [1, 2, 3].map((i) => select(corpus, { shard: parseShard(`${i}/3`) }).map((x) => x.id));
    expect(shards).to.deep.equal([['gather.a', 'wait.b'], ['gather.b'], ['wait.a']]);
  });

  it('refuses a malformed shard', () => {
    // A UsageError, so that the CLI exits 2 by its class, not by its wording.
    expect(() => parseShard('0/2')).to.throw(UsageError, '--shard');
    expect(() => parseShard('3/2')).to.throw('--shard');
    expect(() => parseShard('1-2')).to.throw('--shard');
  });

  it('splits repeatable comma-separated option values', () => {
    expect(splitList(['a,b', ' c '])).to.deep.equal(['a', 'b', 'c']);
    expect(splitList(undefined)).to.equal(undefined);
  });

  it('marks a scenario outside its Python range not-applicable', () => {
    const r = applicability({ python: '>=3.11' }, '3.10', []);
    expect(r).to.deep.include({ applies: false, status: 'not-applicable' });
  });

  it('marks a scenario needing an undeclared capability unsupported, naming what is missing', () => {
    const r = applicability({ python: '>=3.7', requires: ['threads', 'warnings'] }, '3.10', ['warnings']);
    expect(r).to.deep.equal({ applies: false, status: 'unsupported', reason: 'requires threads, which the implementation does not declare' });
    expect(applicability({ python: '>=3.7', requires: ['threads'] }, '3.10', ['threads'])).to.deep.equal({ applies: true });
  });

  it('names each filter, covers glob or tag that matches no scenario', () => {
    const r = selectChecked(corpus, { filter: ['gahter.*', 'wait.*'], covers: ['nope.*'], tags: ['slow', 'fast'] });
    expect(r.unmatched).to.deep.equal(['--filter gahter.*', '--covers nope.*', '--tag fast']);
    expect(selectChecked(corpus, { filter: ['gather.*'] }).unmatched).to.deep.equal([]);
  });
});
