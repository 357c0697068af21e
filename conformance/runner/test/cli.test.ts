import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../deps';
import { FIXTURE_SCENARIOS } from './helpers';
import { validateReport } from '../../reporters/json';

const BIN = path.join(ROOT, 'bin', 'aiospec.js');
const fixture = (name: string, ...args: string[]) => `process:${process.execPath} ${path.join(ROOT, 'fixtures', 'adapters', `${name}.js`)} ${args.join(' ')}`;

function aiospec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('aiospec command', () => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'aiospec-cli-'));

  it('exits 0 when every selected scenario passes', () => {
    const r = aiospec('run', '--impl', fixture('echo'), '--scenarios', FIXTURE_SCENARIOS, '--filter', 'harness.[abd]*', '--no-reports');
    expect(r.stdout).to.contain('3 scenarios, 3 passed');
    expect(r.code).to.equal(0);
  });

  it('exits 1 on a failure and shows its first divergence', () => {
    const r = aiospec('run', '--impl', fixture('echo'), '--scenarios', FIXTURE_SCENARIOS, '--no-reports');
    expect(r.code).to.equal(1);
    expect(r.stdout).to.contain('FAIL harness.c-fails').and.contain('trace[0]: expected [0, "not-c"], got [0, "c"]');
  });

  it('prints the JSON report alone on stdout with --json and writes every report file', () => {
    const r = aiospec('run', '--impl', fixture('crash', '--on', 'harness.b-passes'), '--scenarios', FIXTURE_SCENARIOS, '--json', '--reports', reports);
    const report = JSON.parse(r.stdout);
    expect(validateReport(report)).to.deep.equal([]);
    expect(report.summary).to.deep.include({ total: 6, passed: 2, failed: 1, errored: 1 });
    expect(r.stderr).to.contain('implementation crashed');
    expect(fs.readdirSync(reports).sort()).to.deep.equal(['aiospec-echo-py3.11.7.json', 'aiospec-echo-py3.11.7.junit.xml', 'aiospec.html', 'aiospec.md']);
  });

  it('turns known failures into expected failures and reports stale entries', () => {
    const r = aiospec('run', '--impl', fixture('echo'), '--scenarios', FIXTURE_SCENARIOS, '--no-reports', '--json',
      '--expectations', path.join(ROOT, 'fixtures', 'expectations', 'echo.yaml'));
    const report = JSON.parse(r.stdout);
    expect(report.summary).to.deep.include({ expected_failure: 1, unexpected_pass: 1 });
    expect(r.stderr).to.contain('"harness.no-such-scenario" matches no scenario');
    expect(r.code).to.equal(1);
  });

  it('exits 2 on usage errors', () => {
    expect(aiospec('run', '--shard', '3/2', '--scenarios', FIXTURE_SCENARIOS).code).to.equal(2);
    expect(aiospec('run', '--impl', 'nonsense', '--scenarios', FIXTURE_SCENARIOS).code).to.equal(2);
    expect(aiospec('frobnicate').code).to.equal(2);
    expect(aiospec('run', '--impl', fixture('echo'), '--python', '3.9', '--scenarios', FIXTURE_SCENARIOS).stderr).to.contain('is Python 3.11.7, not 3.9');
  });

  it('refuses an unknown version anywhere in --python before running any version', () => {
    const r = aiospec('run', '--python', '3.10,3.6', '--scenarios', FIXTURE_SCENARIOS, '--no-reports');
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('cannot behave as Python 3.6');
    expect(r.stdout).to.equal('');
  });

  it('keeps and writes the reports of every version when one cannot start', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiospec-matrix-'));
    const r = aiospec('run', '--impl', fixture('echo'), '--python', '3.11,3.9', '--scenarios', FIXTURE_SCENARIOS, '--filter', 'harness.a*', '--reports', dir);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.contain('1 scenarios, 1 passed').and.contain('is Python 3.11.7, not 3.9');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.json'))).to.have.length(2);
  });

  it('exits 2 when a --filter matches nothing or the selection is empty', () => {
    const typo = aiospec('run', '--impl', fixture('echo'), '--scenarios', FIXTURE_SCENARIOS, '--filter', 'harness.a*,gahter.*', '--no-reports');
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.contain('no scenario matches --filter gahter.*');
    const empty = aiospec('list', '--scenarios', FIXTURE_SCENARIOS, '--filter', 'harness.a*', '--shard', '2/2');
    expect(empty.code).to.equal(2);
    expect(empty.stderr).to.contain('the selection is empty');
  });

  it('exits 2 when a scenario file does not load', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiospec-bad-'));
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'id: x.y\ntitle: [unclosed\n');
    const r = aiospec('run', '--impl', fixture('echo'), '--scenarios', dir);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('bad.yaml');
  });

  it('lists scenarios, as text or JSON', () => {
    const text = aiospec('list', '--scenarios', FIXTURE_SCENARIOS, '--filter', 'harness.a*');
    expect(text.stdout).to.equal('harness.a-passes  echo prints a\n');
    const json = JSON.parse(aiospec('list', '--json', '--scenarios', FIXTURE_SCENARIOS).stdout);
    expect(json.map((s: { id: string }) => s.id)).to.have.length(6);
  });

  it('shows a scenario with its expected trace', () => {
    const r = aiospec('show', 'harness.c-fails', '--scenarios', FIXTURE_SCENARIOS);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('harness.c-fails: echo prints c').and.contain('[0, "not-c"]').and.contain('outcome: returns None');
  });

  it('says which scenario ids exist when show is given an unknown one', () => {
    const r = aiospec('show', 'harness.zzz', '--scenarios', FIXTURE_SCENARIOS);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('harness.a-passes');
  });
});
