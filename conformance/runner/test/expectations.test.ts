import { expect } from 'chai';
import * as path from 'path';
import { ROOT } from '../deps';
import { Expectations, ExpectationsError, applyKnownFailure } from '../expectations';

const fixture = (name: string) => path.join(ROOT, 'fixtures', 'expectations', name);

describe('expectations', () => {
  const known = Expectations.load(fixture('echo.yaml'));

  it('finds an entry by exact id', () => {
    expect(known.lookup('harness.c-fails', '3.10')!.reason).to.contain('prints c');
  });

  it('finds an entry by glob, only for the Python versions it names', () => {
    expect(known.lookup('harness.a-passes', '3.11')).to.not.equal(undefined);
    expect(known.lookup('harness.a-passes', '3.10')).to.equal(undefined);
  });

  it('lists entries that match no scenario of the corpus', () => {
    expect(known.unmatched(['harness.a-passes', 'harness.c-fails'])).to.deep.equal([
      { pattern: 'harness.no-such-scenario', reason: 'an entry left behind after a scenario was renamed' },
    ]);
  });

  it('turns a listed failure into an expected failure and a listed pass into an unexpected pass', () => {
    const entry = { pattern: 'x', reason: 'why' };
    expect(applyKnownFailure('failed', entry)).to.deep.equal({ status: 'expected-failure', reason: 'why' });
    expect(applyKnownFailure('errored', entry)).to.deep.equal({ status: 'expected-failure', reason: 'why' });
    expect(applyKnownFailure('passed', entry).status).to.equal('unexpected-pass');
    expect(applyKnownFailure('unsupported', entry).status).to.equal('unsupported');
    expect(applyKnownFailure('failed', undefined)).to.deep.equal({ status: 'failed' });
  });

  it('refuses an entry without a reason', () => {
    expect(() => Expectations.load(fixture('missing-reason.yaml'))).to.throw(ExpectationsError, 'needs a "reason"');
  });

  it('refuses a file that is not a list of entries', () => {
    expect(() => Expectations.load(fixture('not-a-list.yaml'))).to.throw(ExpectationsError, 'expected a list');
  });

  it('refuses a bad version range when loading, naming file, line and entry', () => {
    const file = fixture('bad-range.yaml');
    expect(() => Expectations.load(file)).to.throw(ExpectationsError, `${file}:5: entry 2 (harness.a-*): bad version range ">=3.1O"`);
  });

  it('refuses a bad version range in entries built in code too', () => {
    expect(() => new Expectations([{ pattern: 'x', reason: 'why', python: '3.x' }])).to.throw(ExpectationsError, 'entry 1 (x): bad version range "3.x"');
  });

  it('reads a bare version as that version', () => {
    const bare = new Expectations([{ pattern: 'x', reason: 'why', python: '3.12' }]);
    expect(bare.lookup('x', '3.12')).to.not.equal(undefined);
    expect(bare.lookup('x', '3.11')).to.equal(undefined);
  });
});
