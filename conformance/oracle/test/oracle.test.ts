import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import type { Scenario } from '../../language/ast';
import type { RunResult } from '../../results';
import { cmdBless } from '../bless';
import { loadCorpus, parseArgs, selectScenarios, type ScenarioFile } from '../corpus';
import { availablePythons, runOnPythons, type Interpreter, type RunOutcome } from '../interpreters';
import { buildMatrix, matrixHtml, matrixMarkdown } from '../matrix';
import { cmdRepro, reproScript, tripleQuoted, VTIME } from '../repro';
import { cmdValidate, judge, validationReport } from '../validate';

// Unit tests of the commands' logic, then the commands end to end on the
// CPython 3.11 of this machine (skipped when there is none).

function scenario(over: Partial<Scenario> = {}): Scenario {
  return {
    id: 'demo.hello', title: 'hello', covers: [], python: '>=3.7', strictness: 'documented',
    program: { coroutines: { main: { body: [{ print: 'hello' }] } } },
    expect: { trace: [[0, 'hello']] },
    ...over,
  };
}

const printed = (text: string, t = 0): RunOutcome => ({
  ok: true,
  result: { events: [{ t, kind: 'print', text }], outcome: { kind: 'returned', repr: 'None' }, tasks: [] } as RunResult,
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const py = (version: string): Interpreter => ({ version, full: `${version}.0`, path: `/usr/bin/python${version}` });

/** Runs `fn` with console.log/error captured. */
async function quietly(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  console.error = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    return { code: await fn(), out: lines.join('\n') };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

describe('corpus selection', () => {
  const all: ScenarioFile[] = ['gather.a', 'gather.b', 'wait.a'].map((id) => ({ scenario: scenario({ id }), file: `/x/${id}.yaml` }));

  it('selects by exact id and by id glob, and reports patterns that match nothing', () => {
    const { selected, unmatched } = selectScenarios(all, ['gather.*', 'wait.a', 'nope.*']);
    expect(selected.map((s) => s.scenario.id)).to.deep.equal(['gather.a', 'gather.b', 'wait.a']);
    expect(unmatched).to.deep.equal(['nope.*']);
  });

  it('parses words and --flags with or without values', () => {
    const { words, flags } = parseArgs(['a', '--python', '3.11', '--dry-run', '--out=r', 'b'], ['python']);
    expect(words).to.deep.equal(['a', 'b']);
    expect([...flags]).to.deep.equal([['python', '3.11'], ['dry-run', true], ['out', 'r']]);
  });
});

describe('judge', () => {
  it('passes a run that matches the expectation for its version', () => {
    expect(judge(scenario(), '3.11', printed('hello'))).to.deep.equal({ status: 'pass' });
  });

  it('fails with the first divergence, and when no variant covers the version', () => {
    const j = judge(scenario(), '3.11', printed('bye'));
    expect(j.status).to.equal('fail');
    expect((j as { detail: string[] }).detail[0]).to.contain('trace[0]');
    const variants = scenario({ expect: [{ python: '<3.11', trace: [] }] });
    expect((judge(variants, '3.12', printed('x')) as { detail: string[] }).detail[0]).to.contain('no expectation covers Python 3.12');
  });

  it('says not-applicable outside the range and error when the run failed', () => {
    expect(judge(scenario({ python: '<3.9' }), '3.11', undefined).status).to.equal('not-applicable');
    expect(judge(scenario(), '3.11', { ok: false, reason: 'crash' })).to.deep.equal({ status: 'error', detail: ['crash'] });
  });

  it('reports every disagreement and a summary line', () => {
    const results = new Map([['demo.hello', new Map([['3.10', printed('hello')], ['3.11', printed('bye')]])]]);
    const r = validationReport([scenario()], [py('3.10'), py('3.11')], results);
    expect(r.ok).to.equal(false);
    expect(r.text).to.contain('FAIL  demo.hello on CPython 3.11.0');
    expect(r.text).to.match(/NOT OK: 1\/2 .* not checked \(no interpreter\): 3\.7/);
  });
});

describe('the version matrix', () => {
  const s = scenario({ python: '>=3.8', expect: [{ python: '<3.11', trace: [[0, 'hello']] }, { python: '>=3.11', trace: [[0, 'hi']] }] });
  const results = new Map([['demo.hello', new Map([['3.9', printed('hello')], ['3.10', printed('hello')], ['3.11', printed('hi')], ['3.12', printed('hey')]])]]);
  const m = buildMatrix([s], [py('3.9'), py('3.10'), py('3.11'), py('3.12')], results);

  it('gives each version a status and marks where the behaviour changes', () => {
    const cells = m.rows[0].cells;
    expect(cells['3.7'].status).to.equal('not-applicable');
    expect(cells['3.8'].status).to.equal('not-run');
    expect([cells['3.9'].status, cells['3.10'].status, cells['3.11'].status, cells['3.12'].status]).to.deep.equal(['pass', 'pass', 'pass', 'fail']);
    expect([cells['3.10'].changed, cells['3.11'].changed, cells['3.12'].changed]).to.deep.equal([false, true, true]);
    expect(m.rows[0].changes.map((c) => `${c.from}->${c.to}`)).to.deep.equal(['3.10->3.11', '3.11->3.12']);
  });

  it('renders as a Markdown table and as escaped HTML', () => {
    const md = matrixMarkdown(m, 'T');
    expect(md).to.contain('| `demo.hello` | n/a | not run | pass | pass | pass Δ | FAIL Δ | not run | not run |');
    expect(md).to.contain('- `demo.hello`, 3.10 → 3.11: trace[0]: expected [0, "hello"], got [0, "hi"]');
    const html = matrixHtml(m, 'T');
    expect(html).to.contain('<td class="fail changed"');
    expect(html).not.to.contain('<0');
  });
});

describe('repro scripts', () => {
  it('quotes the program so that Python reads it back exactly', () => {
    for (const src of ["print('a\\\\n')\n", "x = \"'''\"\n", "x = \"'''\" + '\"\"\"'\n"]) {
      const r = spawnSync('python3', ['-c', `import sys; sys.stdout.write(${tripleQuoted(src)})`], { encoding: 'utf8' });
      expect(r.stdout).to.equal(src);
    }
  });

  it('runs on plain python3 and prints the trace in the expectation format', function () {
    if (!fs.existsSync(VTIME)) this.skip();
    const s = scenario({
      program: {
        coroutines: {
          say: { params: ['d', 'w'], body: [{ await: { sleep: '$d' } }, { print: '$w' }] },
          main: {
            body: [
              { set: { t: { create_task: { call: ['say', 2n, 'world'] }, name: 'sayer' } } },
              { call: ['say', 1n, 'never awaited'] },
              { print: { f: 'hello "{t.get_name()}"' } },
              { await: '$t' },
              { return: { tuple: [1n, { float: 0.5 }] } },
            ],
          },
        },
      },
    });
    const r = spawnSync('python3', ['-'], { input: reproScript(s, fs.readFileSync(VTIME, 'utf8')), encoding: 'utf8', timeout: 20000 });
    expect(r.stderr).to.equal('');
    const out = r.stdout.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    expect(out).to.match(new RegExp(`^${escape(`trace:
  - {at: 0, warning: RuntimeWarning, message: "coroutine 'say' was never awaited"}
  - [0, "hello \\"sayer\\""]
  - [2, "world"]
outcome: {returns: "(1, 0.5)"}
tasks:
  "Task-1": {result: "(1, 0.5)"}
  "sayer": {result: "None"}
`)}`));
    expect(parse(out).trace[1]).to.deep.equal([0, 'hello "sayer"']);
  });
});

describe('bless, validate and repro on this machine\'s CPython 3.11', function () {
  this.timeout(60000);
  let dir: string;
  let file: string;
  let have311 = false;

  before(async () => {
    have311 = (await availablePythons()).some((p) => p.version === '3.11');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiospec-oracle-'));
    file = path.join(dir, 'demo.yaml');
    fs.writeFileSync(file, `# kept comment
id: demo.unordered
title: two tasks wake at the same time   # kept too
covers: []
python: ">=3.11,<3.12"
strictness: cpython-detail
program:
  coroutines:
    tick:
      params: [name]
      body:
        - await: {sleep: 1}
        - print: $name
    main:
      body:
        - set: {a: {create_task: {call: [tick, a]}}, b: {create_task: {call: [tick, b]}}}
        - await: {gather: [$a, $b]}
        - return: 7
expect:
  trace:
    - unordered:
        - [1, "b"]
        - [1, "a"]
    - [5, "wrong"]
`);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('validate reports a wrong expectation and exits 1', async function () {
    if (!have311) this.skip();
    const r = await quietly(() => cmdValidate(['--dir', dir, '--python', '3.11']));
    expect(r.code).to.equal(1);
    expect(r.out).to.contain('FAIL  demo.unordered on CPython 3.11');
  });

  it('bless rewrites the expectation, keeping the unordered group and the file\'s comments', async function () {
    if (!have311) this.skip();
    const r = await quietly(() => cmdBless(['--dir', dir, '--python', '3.11']));
    expect(r.code, r.out).to.equal(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).to.contain('# kept comment\n');
    expect(text).to.contain('title: two tasks wake at the same time   # kept too\n');
    expect(text.slice(text.indexOf('expect:'))).to.equal(`expect:
  trace:
    - unordered:
        - [1, "b"]
        - [1, "a"]
  outcome: {returns: "7"}
`);
  });

  it('validate then agrees, and a second bless changes nothing', async function () {
    if (!have311) this.skip();
    expect((await quietly(() => cmdValidate(['--dir', dir, '--python', '3.11']))).code).to.equal(0);
    const before = fs.readFileSync(file, 'utf8');
    const r = await quietly(() => cmdBless(['--dir', dir, '--python', '3.11']));
    expect(r.out).to.contain('unchanged demo.unordered');
    expect(fs.readFileSync(file, 'utf8')).to.equal(before);
  });

  it('an interpreter that cannot be set up fails its own runs only', async function () {
    if (!have311) this.skip();
    const real = (await availablePythons()).find((p) => p.version === '3.11')!;
    // No Pyodide ships 3.98: configuring its adapter throws before any process starts.
    const noPyodide: Interpreter = { version: '3.98', full: '3.98.0', path: 'pyodide:pyodide-none', kind: 'pyodide' };
    const noExecutable: Interpreter = { version: '3.99', full: '3.99.0', path: path.join(dir, 'no-such-python'), kind: 'cpython' };
    const s = { ...loadCorpus(dir).scenarios[0].scenario, python: '>=3.7' };
    const runs = (await runOnPythons([s], [noPyodide, real, noExecutable])).get(s.id)!;
    expect(runs.get('3.11')!.ok).to.equal(true);
    const bad = [runs.get('3.98'), runs.get('3.99')].map((r) => (r && !r.ok ? r.reason : 'ok'));
    expect(bad[0]).to.match(/^3\.98\.0 did not start: no Pyodide release for Python 3\.98\.0/);
    expect(bad[1]).to.match(/^3\.99\.0 did not start: /);
  });

  it('repro prints a script that python3 runs to the same expectation', async function () {
    if (!have311) this.skip();
    const chunks: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => (chunks.push(s), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await cmdRepro(['demo.unordered', '--dir', dir]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).to.equal(0);
    const r = spawnSync('python3', ['-'], { input: chunks.join(''), encoding: 'utf8', timeout: 20000 });
    expect(r.stdout).to.match(/trace:\n {2}- \[1, "[ab]"\]\n {2}- \[1, "[ab]"\]\noutcome: \{returns: "7"\}\n/);
  });
});
