import { expect } from 'chai';
import type { Expectation } from '../../language/ast';
import type { RunResult, TraceEvent } from '../../results';
import { compareTasks } from '../../runner/compare';
import { mergeAcrossVersions, observedExpectation, observedTrace, type PerVersion } from '../expectation';

const print = (t: number, text: string): TraceEvent => ({ t, kind: 'print', text });
const returnsNone: RunResult['outcome'] = { kind: 'returned', repr: 'None' };

function result(events: TraceEvent[], extra: Partial<RunResult> = {}): RunResult {
  return { events, outcome: returnsNone, tasks: [], ...extra };
}

describe('observedExpectation', () => {
  it('writes prints as [t, text], warnings and logs with their time, and the outcome', () => {
    const r = result([
      print(0, 'a'),
      { t: 1.5, kind: 'warning', category: 'RuntimeWarning', message: "coroutine 'f' was never awaited" },
      { t: 2, kind: 'log', level: 'ERROR', message: 'Task exception was never retrieved\nfuture: ...' },
    ], { outcome: { kind: 'raised', type: 'ValueError', args: ["'boom'"], str: 'boom' } });
    expect(observedExpectation(r, undefined)).to.deep.equal({
      trace: [[0, 'a'], { at: 1.5, warning: 'RuntimeWarning', message: "coroutine 'f' was never awaited" }],
      outcome: { raises: 'ValueError', args: ["'boom'"] },
    });
    expect(observedExpectation(r, { logs: true, trace: [] }).trace).to.deep.equal([
      [0, 'a'],
      { at: 1.5, warning: 'RuntimeWarning', message: "coroutine 'f' was never awaited" },
      { at: 2, log: 'ERROR', message: 'Task exception was never retrieved' },
    ]);
  });

  it('lists tasks the program named, not CPython\'s default Task-N names', () => {
    const r = result([], {
      tasks: [
        { name: 'Task-1', state: 'finished', value: 'None' },
        { name: 'worker', state: 'failed', value: "ValueError('x')" },
        { name: 'sleeper', state: 'cancelled' },
      ],
    });
    expect(observedExpectation(r, undefined).tasks).to.deep.equal({ worker: { exception: "ValueError('x')" }, sleeper: 'cancelled' });
  });

  it('describes the first of two tasks sharing a name, the one validate compares', () => {
    const r = result([], {
      tasks: [
        { name: 'job', state: 'finished', value: '1' },
        { name: 'job', state: 'cancelled' },
      ],
    });
    const tasks = observedExpectation(r, undefined).tasks!;
    expect(tasks).to.deep.equal({ job: { result: '1' } });
    expect(compareTasks(r.tasks, tasks)).to.equal(undefined);
  });

  it('keeps an unordered group when CPython produced one of its permutations', () => {
    const template: Expectation = { trace: [[0, 'start'], { unordered: [[1, 'a'], [1, 'b']] }, [2, 'end']] };
    const got = observedExpectation(result([print(0, 'start'), print(1, 'b'), print(1, 'a'), print(2, 'end')]), template);
    expect(got.trace).to.deep.equal(template.trace);
  });

  it('writes the observed order when the group no longer fits, and keeps the rest of the template', () => {
    const template: Expectation = { trace: [[0, 'start'], { unordered: [[1, 'a'], [1, 'b']] }, [2, 'end']] };
    const got = observedExpectation(result([print(0, 'start'), print(1, 'a'), print(3, 'b'), print(2, 'end')]), template);
    expect(got.trace).to.deep.equal([[0, 'start'], [1, 'a'], [3, 'b'], [2, 'end']]);
  });

  it('keeps a warning written with match while the message still matches, and writes the message when not', () => {
    const template: Expectation = { trace: [{ at: 0, warning: 'DeprecationWarning', match: 'deprecated' }] };
    const warn = (message: string): TraceEvent => ({ t: 0, kind: 'warning', category: 'DeprecationWarning', message });
    expect(observedExpectation(result([warn('this is deprecated')]), template).trace).to.deep.equal(template.trace);
    expect(observedExpectation(result([warn('going away')]), template).trace).to.deep.equal([
      { at: 0, warning: 'DeprecationWarning', message: 'going away' },
    ]);
  });

  it('keeps an outcome that checks less than everything when CPython confirms it', () => {
    const r = result([], { outcome: { kind: 'raised', type: 'TypeError', args: ["'x'"], str: 'x' } });
    expect(observedExpectation(r, { trace: [], outcome: { raises: 'TypeError' } }).outcome).to.deep.equal({ raises: 'TypeError' });
    expect(observedExpectation(r, { trace: [], outcome: { raises: 'ValueError' } }).outcome).to.deep.equal({ raises: 'TypeError', args: ["'x'"] });
  });

  it('does not add `returns None` to an expectation whose author left the outcome out', () => {
    expect(observedExpectation(result([print(0, 'x')]), { trace: [] })).to.deep.equal({ trace: [[0, 'x']] });
    expect(observedExpectation(result([print(0, 'x')]), undefined)).to.deep.equal({ trace: [[0, 'x']], outcome: { returns: 'None' } });
  });

  it('aligns the template around inserted and removed events', () => {
    const trace = observedTrace([print(0, 'a'), print(0, 'new'), print(1, 'c')], [[0, 'a'], [0, 'gone'], [1, 'c']]);
    expect(trace).to.deep.equal([[0, 'a'], [0, 'new'], [1, 'c']]);
  });
});

describe('mergeAcrossVersions', () => {
  const A: Expectation = { trace: [[0, 'a']] };
  const B: Expectation = { trace: [[0, 'b']] };
  const universe = ['3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];

  it('gives one expectation when every version of the range agrees', () => {
    const per: PerVersion = new Map(universe.map((v) => [v, { ...A }]));
    expect(mergeAcrossVersions(per, universe)).to.deep.equal(A);
  });

  it('gives version-range variants, oldest first, when versions differ', () => {
    const per: PerVersion = new Map(universe.map((v) => [v, ['3.11', '3.12', '3.13', '3.14'].includes(v) ? B : A]));
    expect(mergeAcrossVersions(per, universe)).to.deep.equal([
      { python: '>=3.7,<3.11', ...A },
      { python: '>=3.11', ...B },
    ]);
  });

  it('writes no variant for a version nothing is known about', () => {
    const per: PerVersion = new Map(universe.map((v) => [v, v === '3.14' ? undefined : A]));
    expect(mergeAcrossVersions(per, universe)).to.deep.equal([{ python: '>=3.7,<3.14', ...A }]);
  });

  it('splits a behaviour that comes back into separate ranges', () => {
    const per: PerVersion = new Map(universe.map((v) => [v, v === '3.9' ? B : A]));
    expect(mergeAcrossVersions(per, universe)).to.deep.equal([
      { python: '>=3.7,<3.9', ...A },
      { python: '==3.9', ...B },
      { python: '>=3.10', ...A },
    ]);
  });
});
