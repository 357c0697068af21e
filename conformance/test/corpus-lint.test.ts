/**
 * The corpus itself is linted on every test run: schema, unique ids,
 * catalogue references, variant ranges. A scenario that breaks a rule fails
 * here with its file:line:col, before any implementation runs it.
 */
import { expect } from 'chai';
import * as path from 'path';
import { lint, formatLintResult } from '../language/lint';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('the scenario corpus', () => {
  it('lints without errors', () => {
    const result = lint([path.join(ROOT, 'conformance', 'scenarios')]);
    expect(result.errors, formatLintResult(result)).to.deep.equal([]);
    expect(result.scenarios).to.be.greaterThan(0);
  });
});
