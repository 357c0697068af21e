import { expect } from 'chai';
import { loadCatalogue } from '../catalogue';
import { findScenarioFiles, formatLintResult, lint } from '../lint';
import { formatError } from '../loader';
import { src } from './helpers';

const CATALOGUE = src('conformance/language/test/fixtures/catalogue.yaml');
const malformed = (name: string) => src('fixtures/malformed', `${name}.yaml`);

describe('lint', function () {
  this.timeout(20000);

  it('finds an id used in two files and points at the second', () => {
    const r = lint([malformed('duplicate-id-a'), malformed('duplicate-id-b')], { catalogue: null });
    expect(r.errors.map(formatError)).to.deep.equal([
      `${malformed('duplicate-id-b')}:2:5: [malformed.duplicate-id] duplicate id \`malformed.duplicate-id\`; first used at ${malformed('duplicate-id-a')}:2:5`,
    ]);
  });

  it('refuses covers that name no catalogue entry', () => {
    const r = lint([malformed('unknown-covers')], { catalogue: CATALOGUE });
    expect(r.errors.map(formatError)).to.deep.equal([
      `${malformed('unknown-covers')}:4:10: [malformed.unknown-covers] \`covers\` names \`gather.no-such-behaviour\`, which is not a catalogue ID`,
    ]);
  });

  it('refuses variants that overlap or reach outside the scenario range', () => {
    const r = lint([malformed('bad-variants')], { catalogue: null });
    expect(r.errors.map((e) => `${e.line}:${e.column}: ${e.message}`)).to.deep.equal([
      '16:13: variant range `>=3.10` overlaps variant 1 (`>=3.8,<3.11`) at 3.10',
      '19:13: variant range `==3.7` reaches outside the scenario\'s range `>=3.8`',
    ]);
  });

  it('reports load errors with the rest', () => {
    const r = lint([malformed('unknown-step')], { catalogue: null });
    expect(r.errors).to.have.length(1);
    expect(r.errors[0].message).to.equal('unknown statement or expression `awiat` (did you mean `await`?)');
  });

  it('warns about known versions no variant holds, and lists uncovered catalogue entries', () => {
    const r = lint([src('conformance/language/test/fixtures/covers-gather.yaml')], { catalogue: CATALOGUE });
    expect(r.errors).to.deep.equal([]);
    expect(r.warnings.map((w) => `${w.line}:${w.column}: ${w.id}: ${w.message}`)).to.deep.equal([
      '13:3: lint.covers-gather: no variant holds 3.11: the scenario is not applicable there',
      '9:7: sleep.suspends: no scenario covers this behaviour',
    ]);
    expect(r.uncovered.map((e) => e.id)).to.deep.equal(['sleep.suspends']);
    expect(r.warnings[1].file).to.equal(CATALOGUE);
  });

  it('warns about a scenario that covers nothing', () => {
    const r = lint([malformed('duplicate-id-a')], { catalogue: CATALOGUE });
    expect(r.warnings[0]).to.deep.include({ line: 4, column: 9, message: '`covers` is empty: the scenario gives evidence for no catalogue entry' });
  });

  it('formats its result as errors, warnings and a summary', () => {
    const r = lint([src('conformance/language/test/fixtures/covers-gather.yaml'), malformed('unknown-step')], { catalogue: CATALOGUE });
    const lines = formatLintResult(r).split('\n');
    expect(lines[0]).to.match(/unknown-step\.yaml:11:11: \[malformed\.unknown-step\] unknown statement/);
    expect(lines[1]).to.match(/covers-gather\.yaml:13:3: \[lint\.covers-gather\] warning: no variant holds 3\.11/);
    expect(lines[lines.length - 1]).to.equal('2 files, 1 scenario: 1 error, 2 warnings; 1 of 2 catalogue entries covered');
  });

  it('finds scenario files in directories and by glob', () => {
    expect(findScenarioFiles([src('conformance/language/test/fixtures')])).to.deep.equal([
      src('conformance/language/test/fixtures/catalogue.yaml'),
      src('conformance/language/test/fixtures/covers-gather.yaml'),
    ]);
    expect(findScenarioFiles([src('fixtures/malformed/duplicate-id-*.yaml')])).to.deep.equal([
      malformed('duplicate-id-a'), malformed('duplicate-id-b'),
    ]);
  });
});

describe('catalogue', () => {
  it('loads entries with the position of each id', () => {
    const c = loadCatalogue(CATALOGUE);
    expect(c.errors).to.deep.equal([]);
    expect(c.entries.map((e) => e.id)).to.deep.equal(['gather.result-order', 'sleep.suspends']);
    expect(c.positions.get('sleep.suspends')).to.deep.equal({ line: 9, column: 7 });
  });

  it('loads the real spec/catalogue.yaml without errors', function () {
    this.timeout(20000);
    const c = loadCatalogue();
    expect(c.errors.map(formatError)).to.deep.equal([]);
    expect(c.entries.length).to.be.greaterThan(0);
  });
});
