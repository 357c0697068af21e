import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Report, ScenarioReport } from '../../runner/types';
import { summarize } from '../../runner/types';
import { formatReport, formatScenario, traceDiff } from '../console';
import { toHtml } from '../html';
import { toJson, validateReport } from '../json';
import { toJUnit } from '../junit';
import { toMarkdown } from '../markdown';
import { writeReports } from '..';
import type { Catalogue } from '../catalogue';
import { CatalogueError, loadCatalogue } from '../catalogue';

const catalogue: Catalogue = {
  behaviours: new Map([
    ['gather.result-order', { id: 'gather.result-order', section: 'asyncio.gather', text: 'results in argument order' }],
    ['sleep.delay', { id: 'sleep.delay', section: 'asyncio.sleep' }],
  ]),
  sections: ['asyncio.sleep', 'asyncio.gather'],
};

function scenario(id: string, status: ScenarioReport['status'], extra: Partial<ScenarioReport> = {}): ScenarioReport {
  return { id, title: `title of ${id}`, status, strictness: 'documented', covers: [], tags: [], python: '3.11', duration_ms: 1, ...extra };
}

function report(scenarios: ScenarioReport[], python = '3.11'): Report {
  return {
    spec_version: '1', aiospec_version: '0.1.0', generated_at: '2024-01-01T00:00:00.000Z',
    implementation: { name: 'demo', version: '1.0', python, capabilities: [] },
    selection: {}, summary: summarize(scenarios, 12), scenarios,
  };
}

const failing = scenario('gather.order', 'failed', {
  covers: ['gather.result-order'],
  divergence: {
    where: 'trace', message: 'trace[1]: expected [3, "x"], got [1, "x"]', index: 1, expected: '[3, "x"]', actual: '[1, "x"]',
    context: ['  0: [0, "a"]', '> 1: [1, "x"]'], expectedTrace: ['[0, "a"]', '[3, "x"]'], actualTrace: ['[0, "a"]', '[1, "x"]'],
  },
});
const sample = report([
  failing,
  scenario('gather.ok', 'passed', { covers: ['gather.result-order'], strictness: 'cpython-detail' }),
  scenario('sleep.ok', 'passed', { covers: ['sleep.delay'] }),
  scenario('threads.x', 'unsupported', { reason: 'requires threads' }),
  scenario('misc.crash', 'errored', { reason: 'implementation crashed: exited with status 3' }),
]);

describe('reporters', () => {
  describe('console', () => {
    it('shows a failure with its first divergence and the actual events around it', () => {
      const text = formatScenario(failing);
      expect(text).to.contain('FAIL gather.order [py3.11] title of gather.order');
      expect(text).to.contain('trace[1]: expected [3, "x"], got [1, "x"]');
      expect(text).to.contain('> 1: [1, "x"]');
    });

    it('lists only failures and errors, then the summary, without colour when asked for none', () => {
      const text = formatReport(sample, { color: false });
      expect(text).to.contain('gather.order').and.contain('misc.crash').and.not.contain('sleep.ok');
      expect(text).to.contain('demo 1.0 as Python 3.11: 5 scenarios, 2 passed, 1 failed, 1 errored, 1 unsupported');
      expect(text).to.not.match(/\x1b\[/);
    });

    it('colours when asked to', () => {
      expect(formatReport(sample, { color: true })).to.match(/\x1b\[31m/);
    });

    it('diffs whole traces only when they differ in several places', () => {
      expect(traceDiff(['a', 'b'], ['a', 'c'])).to.deep.equal([]);
      const long = traceDiff(['1', '2', '3', '4', '5'], ['1', 'x', '3', 'y', '5']);
      expect(long).to.include('- 2').and.include('+ x').and.include('- 4').and.include('+ y');
    });
  });

  describe('json', () => {
    it('produces a report valid against spec/report.schema.json', () => {
      expect(validateReport(JSON.parse(toJson(sample)))).to.deep.equal([]);
    });

    it('catches a report with an unknown status', () => {
      const bad = JSON.parse(toJson(sample));
      bad.scenarios[0].status = 'kinda';
      expect(validateReport(bad).join()).to.contain('/scenarios/0/status');
    });
  });

  describe('junit', () => {
    const xml = toJUnit([sample]);
    it('has one test case per scenario, named <id>: <title>', () => {
      expect(xml.match(/<testcase /g)).to.have.length(5);
      expect(xml).to.contain('name="gather.order: title of gather.order"');
    });
    it('marks failures, errors and skips', () => {
      expect(xml).to.match(/<failure[^>]*message="trace\[1\]: expected \[3, &quot;x&quot;\], got \[1, &quot;x&quot;\]"/);
      expect(xml).to.contain('<error');
      expect(xml).to.contain('<skipped');
    });
  });

  describe('markdown', () => {
    it('summarises, tabulates by docs section and strictness, and lists failures', () => {
      const md = toMarkdown([sample], catalogue);
      expect(md).to.contain('| demo 1.0 | 3.11 | 5 | 2 | 1 | 1 | 1 | 0 | 0 | 0 |');
      expect(md).to.contain('| asyncio.sleep | documented | 1/1 |');
      expect(md).to.contain('| asyncio.gather | documented | 0/1 (1 ✗) |');
      expect(md).to.contain('| asyncio.gather | cpython-detail | 1/1 |');
      expect(md).to.contain('**gather.order**');
    });
  });

  describe('html', () => {
    const html = toHtml([sample, report(sample.scenarios.map((s) => ({ ...s, python: '3.12', status: 'passed' as const })), '3.12')], catalogue);

    it('is one self-contained page with no external resources', () => {
      expect(html).to.match(/^<!DOCTYPE html>/);
      expect(html).to.not.match(/<script|<link|src=|href="http/);
    });

    it('groups scenarios by docs section, documented apart from CPython detail, one column per report', () => {
      const sleep = html.indexOf('<h2>asyncio.sleep</h2>');
      const gather = html.indexOf('<h2>asyncio.gather</h2>');
      expect(sleep).to.be.greaterThan(0);
      expect(gather).to.be.greaterThan(sleep);
      expect(html.slice(gather)).to.contain('<h3>Documented</h3>').and.contain('<h3>CPython detail</h3>');
      expect(html).to.contain('<th>demo py3.11</th><th>demo py3.12</th>');
      expect(html).to.contain('<h2>Not in the catalogue</h2>');
    });

    it('escapes what it shows', () => {
      const weird = report([scenario('x.y', 'failed', { title: '<b>&', divergence: { where: 'outcome', message: '<script>' } })]);
      const out = toHtml([weird], catalogue);
      expect(out).to.contain('&lt;b&gt;&amp;').and.not.contain('<script>');
    });
  });

  it('writes every format into one directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiospec-reports-'));
    const files = writeReports([sample], dir).map((f) => path.basename(f));
    expect(files).to.deep.equal(['demo-py3.11.json', 'demo-py3.11.junit.xml', 'aiospec.md', 'aiospec.html']);
    // The returned names are only a claim: the files must be on disk, and nothing else.
    expect(fs.readdirSync(dir).sort()).to.deep.equal(['aiospec.html', 'aiospec.md', 'demo-py3.11.json', 'demo-py3.11.junit.xml']);
  });

  it('reads docs sections from spec/catalogue.yaml', () => {
    const real = loadCatalogue();
    expect(real.behaviours.size).to.be.greaterThan(0);
    expect(real.behaviours.get('coroutines.async-def-declares')?.section).to.equal('Coroutines');
  });

  it('refuses a broken catalogue with its errors instead of reading it as empty', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aiospec-cat-')), 'catalogue.yaml');
    fs.writeFileSync(file, '- id: a.b\n  section: [unclosed\n');
    expect(() => loadCatalogue(file)).to.throw(CatalogueError, `${file}:`);
  });
});
