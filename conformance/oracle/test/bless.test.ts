import { expect } from 'chai';
import { parse } from 'yaml';
import type { Scenario } from '../../language/ast';
import type { RunResult } from '../../results';
import { planBless } from '../bless';
import type { RunOutcome } from '../interpreters';
import { replaceExpect } from '../yaml-edit';

const ok = (text: string): RunOutcome => ({ ok: true, result: { events: [{ t: 0, kind: 'print', text }], outcome: { kind: 'returned', repr: 'None' }, tasks: [] } as RunResult });

function scenario(expect: Scenario['expect'], python = '>=3.7'): Scenario {
  return { id: 'x.y', title: 't', covers: [], python, strictness: 'documented', program: {}, expect };
}

describe('planBless', () => {
  it('merges equal results into one expectation when every version of the range ran', () => {
    const runs = new Map(['3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'].map((v) => [v, ok('hi')]));
    expect(planBless(scenario({ trace: [] }), runs).expect).to.deep.equal({ trace: [[0, 'hi']] });
  });

  it('keeps the existing expectation of a version that was not run, and writes none where nothing was known', () => {
    const runs = new Map(['3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13'].map((v) => [v, ok(v === '3.13' ? 'new' : 'old')]));
    const plan = planBless(scenario({ trace: [[0, 'old']] }), runs);
    expect(plan.expect).to.deep.equal([
      { python: '>=3.7,<3.13', trace: [[0, 'old']] },
      { python: '==3.13', trace: [[0, 'new']] },
      { python: '>=3.14', trace: [[0, 'old']] },
    ]);
    expect(plan.kept).to.deep.equal(['3.14']);
    const fresh = planBless(scenario(undefined as unknown as Scenario['expect']), new Map([['3.11', ok('a')]]));
    expect(fresh.expect).to.deep.equal([{ python: '==3.11', trace: [[0, 'a']], outcome: { returns: 'None' } }]);
  });

  it('keeps the old expectation of a version whose run failed, and says why', () => {
    const runs = new Map<string, RunOutcome>([['3.8', ok('a')], ['3.9', { ok: false, reason: 'timeout' }]]);
    const plan = planBless(scenario([{ python: '<3.9', trace: [[0, 'a']] }, { python: '>=3.9', trace: [[0, 'b']] }], '>=3.8,<3.10'), runs);
    // The file's own wording of the ranges is kept (`<3.9` is `==3.8` within `>=3.8,<3.10`).
    expect(plan.expect).to.deep.equal([{ python: '<3.9', trace: [[0, 'a']] }, { python: '>=3.9', trace: [[0, 'b']] }]);
    expect(plan.failed).to.deep.equal([{ version: '3.9', reason: 'timeout' }]);
  });

  it('keeps the old expectation of a version whose interpreter lacks a capability, without counting it failed', () => {
    const lacks: RunOutcome = { ok: false, unsupported: true, reason: 'pyodide 3.14.2 lacks threads' };
    const runs = new Map<string, RunOutcome>([['3.13', ok('a')], ['3.14', lacks]]);
    const plan = planBless(scenario([{ python: '<3.14', trace: [[0, 'a']] }, { python: '>=3.14', trace: [[0, 'b']] }], '>=3.13'), runs);
    expect(plan.expect).to.deep.equal([{ python: '<3.14', trace: [[0, 'a']] }, { python: '>=3.14', trace: [[0, 'b']] }]);
    expect(plan.failed).to.deep.equal([]);
    expect(plan.unsupported).to.deep.equal([{ version: '3.14', reason: 'pyodide 3.14.2 lacks threads' }]);
  });

  it('only looks at versions inside the scenario\'s range', () => {
    const runs = new Map(['3.8', '3.9', '3.10'].map((v) => [v, ok('a')]));
    expect(planBless(scenario({ trace: [] }, '>=3.8,<3.11'), runs).expect).to.deep.equal({ trace: [[0, 'a']] });
  });
});

describe('replaceExpect', () => {
  const file = `# A comment at the top
id: x.y
title: t   # a trailing comment
python: ">=3.7"
program:
  coroutines:
    main:
      body:
        - print: {f: "{x!r}"}   # kept
        - set: {x: 12345678901234567890}
expect:
  # about the variants
  - python: "<3.11"
    # the old behaviour
    trace:
      - [0, "old"]
  - python: ">=3.11"
    trace:
      - [0, new]
`;

  it('returns the file unchanged when the expectation is the same', () => {
    const same = parse(file).expect;
    expect(replaceExpect(file, 'x.y', same)).to.equal(file);
  });

  it('replaces only the variant that changed, keeping comments and layout elsewhere', () => {
    const out = replaceExpect(file, 'x.y', [
      { python: '<3.11', trace: [[0, 'old']] },
      { python: '>=3.11', trace: [[0, 'newer'], { at: 0.5, warning: 'DeprecationWarning', message: 'x: y' }], outcome: { returns: 'None' } },
    ]);
    const [head, tail] = [file.slice(0, file.indexOf('  - python: ">=3.11"')), out.slice(out.indexOf('  - python: ">=3.11"'))];
    expect(out.startsWith(head)).to.equal(true);
    expect(tail).to.equal(`  - python: ">=3.11"
    trace:
      - [0, "newer"]
      - {at: 0.5, warning: DeprecationWarning, message: "x: y"}
    outcome: {returns: "None"}
`);
  });

  it('writes a single expectation with unordered groups, tasks and raised outcomes in the corpus style', () => {
    const out = replaceExpect(file, 'x.y', {
      trace: [{ unordered: [[1, 'a'], [1, '42']] }],
      outcome: { raises: 'asyncio.CancelledError', args: [] },
      tasks: { worker: 'cancelled', other: { result: "'x'" } },
    });
    expect(out.slice(out.indexOf('expect:'))).to.equal(`expect:
  trace:
    - unordered:
        - [1, "a"]
        - [1, "42"]
  outcome: {raises: asyncio.CancelledError, args: []}
  tasks:
    worker: cancelled
    other: {result: "'x'"}
`);
    expect(out).to.contain('12345678901234567890');
    expect(parse(out).expect.trace[0].unordered[1]).to.deep.equal([1, '42']);
  });

  it('adds expect to a scenario that has none', () => {
    const bare = 'id: a.b\ntitle: t\n';
    expect(replaceExpect(bare, 'a.b', { trace: [[0, 'x']] })).to.equal('id: a.b\ntitle: t\nexpect:\n  trace:\n    - [0, "x"]\n');
  });

  it('edits the right document of a multi-document file, and leaves keys after expect alone', () => {
    const multi = `id: a.one
expect:
  trace:
    - [0, a]

# about the next key
tags: [x]
---
id: a.two
expect:
  trace:
    - [0, b]
tags:   [y]
`;
    const out = replaceExpect(multi, 'a.two', { trace: [[1, 'c']] });
    expect(out).to.equal(multi.replace('    - [0, b]', '    - [1, "c"]'));
    const first = replaceExpect(multi, 'a.one', { trace: [[2, 'z']] });
    expect(first).to.equal(multi.replace('    - [0, a]', '    - [2, "z"]'));
  });
});
