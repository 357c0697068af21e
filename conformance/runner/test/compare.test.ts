import { expect } from 'chai';
import type { Expectation, Scenario } from '../../language/ast';
import type { RunResult, TraceEvent } from '../../results';
import { compare, selectExpectation } from '../compare';

const print = (t: number, text: string): TraceEvent => ({ t, kind: 'print', text });
const warn = (t: number, category: string, message: string): TraceEvent => ({ t, kind: 'warning', category, message });
const log = (t: number, level: string, message: string): TraceEvent => ({ t, kind: 'log', level, message });
const run = (events: TraceEvent[], extra: Partial<RunResult> = {}): RunResult =>
  ({ events, outcome: { kind: 'returned', repr: 'None' }, tasks: [], ...extra });

describe('compare', () => {
  describe('traces', () => {
    it('passes when every event matches in exact order', () => {
      const v = compare(run([print(0, 'a'), print(1, 'b')]), { trace: [[0, 'a'], [1, 'b']] });
      expect(v).to.deep.equal({ pass: true });
    });

    it('compares times exactly, so 1.5 is not 1.5000001', () => {
      const v = compare(run([print(1.5000001, 'a')]), { trace: [[1.5, 'a']] });
      expect(v.pass).to.equal(false);
      expect(v.divergence!.message).to.contain('printed at t=1.5000001 instead of t=1.5');
    });

    it('reports the first divergence with its index, the expected item, the actual event and context', () => {
      const events = [print(0, 'a'), print(0, 'b'), print(1, 'x'), print(2, 'd'), print(3, 'e')];
      const v = compare(run(events), { trace: [[0, 'a'], [0, 'b'], [1, 'c'], [2, 'd'], [3, 'e']] });
      const d = v.divergence!;
      expect(d.where).to.equal('trace');
      expect(d.index).to.equal(2);
      expect(d.expected).to.equal('[1, "c"]');
      expect(d.actual).to.equal('[1, "x"]');
      expect(d.context).to.deep.equal(['  0: [0, "a"]', '  1: [0, "b"]', '> 2: [1, "x"]', '  3: [2, "d"]', '  4: [3, "e"]']);
      expect(d.message).to.equal('trace[2]: expected [1, "c"], got [1, "x"]');
    });

    it('says so when the trace ends early', () => {
      const d = compare(run([print(0, 'a')]), { trace: [[0, 'a'], [1, 'b']] }).divergence!;
      expect(d.actual).to.equal('(end of trace)');
      expect(d.index).to.equal(1);
      expect(d.context![d.context!.length - 1]).to.equal('> 1: (end of trace)');
    });

    it('says so when the trace has an event more than expected', () => {
      const d = compare(run([print(0, 'a'), print(0, 'extra')]), { trace: [[0, 'a']] }).divergence!;
      expect(d.expected).to.equal('(end of trace)');
      expect(d.actual).to.equal('[0, "extra"]');
      expect(d.message).to.contain('an event more than expected');
    });

    it('points out an extra event before an expected line', () => {
      const d = compare(run([print(0, 'noise'), print(0, 'a')]), { trace: [[0, 'a']] }).divergence!;
      expect(d.message).to.contain('the expected line comes later');
    });

    it('accepts an unordered group in any order', () => {
      const exp: Expectation = { trace: [[0, 'start'], { unordered: [[1, 'x'], [1, 'y'], [1, 'z']] }, [2, 'end']] };
      expect(compare(run([print(0, 'start'), print(1, 'z'), print(1, 'x'), print(1, 'y'), print(2, 'end')]), exp).pass).to.equal(true);
      expect(compare(run([print(0, 'start'), print(1, 'x'), print(1, 'y'), print(1, 'z'), print(2, 'end')]), exp).pass).to.equal(true);
    });

    it('finds a matching even when a greedy pairing would not (regexes overlap)', () => {
      const exp: Expectation = { trace: [{ unordered: [{ at: 0, warning: 'W', match: 'a' }, { at: 0, warning: 'W', message: 'ab' }] }] };
      expect(compare(run([warn(0, 'W', 'ab'), warn(0, 'W', 'a')]), exp).pass).to.equal(true);
    });

    it('does not let an unordered group reach past its own events', () => {
      const exp: Expectation = { trace: [{ unordered: [[0, 'x'], [0, 'y']] }, [0, 'z']] };
      const d = compare(run([print(0, 'x'), print(0, 'z'), print(0, 'y')]), exp).divergence!;
      expect(d.index).to.equal(1);
      expect(d.expected).to.equal('[0, "y"]');
      expect(d.message).to.contain('inside an unordered group');
    });

    it('matches a warning by category and exact message, or by a regex', () => {
      const w = warn(0, 'RuntimeWarning', "coroutine 'nested' was never awaited");
      expect(compare(run([w]), { trace: [{ at: 0, warning: 'RuntimeWarning', message: "coroutine 'nested' was never awaited" }] }).pass).to.equal(true);
      expect(compare(run([w]), { trace: [{ at: 0, warning: 'RuntimeWarning', match: 'never awaited$' }] }).pass).to.equal(true);
      expect(compare(run([w]), { trace: [{ at: 0, warning: 'DeprecationWarning', match: 'never' }] }).pass).to.equal(false);
      expect(compare(run([w]), { trace: [{ at: 0, warning: 'RuntimeWarning', message: 'coroutine' }] }).pass).to.equal(false);
    });

    it('ignores log events unless the expectation says logs: true', () => {
      const events = [print(0, 'a'), log(0, 'ERROR', 'Task exception was never retrieved\nTraceback ...')];
      expect(compare(run(events), { trace: [[0, 'a']] }).pass).to.equal(true);
      expect(compare(run(events), { trace: [[0, 'a']], logs: true }).pass).to.equal(false);
      expect(compare(run(events), { trace: [[0, 'a'], { at: 0, log: 'ERROR', message: 'Task exception was never retrieved' }], logs: true }).pass).to.equal(true);
    });
  });

  describe('outcomes', () => {
    it('checks a returned value by its repr', () => {
      expect(compare(run([], { outcome: { kind: 'returned', repr: '42' } }), { outcome: { returns: '42' } }).pass).to.equal(true);
      const d = compare(run([], { outcome: { kind: 'returned', repr: '41' } }), { outcome: { returns: '42' } }).divergence!;
      expect(d).to.include({ where: 'outcome', expected: 'returns 42', actual: 'returns 41' });
    });

    it('checks a raised exception by type, args, message and regex', () => {
      const raised = run([], { outcome: { kind: 'raised', type: 'asyncio.CancelledError', args: ["'bye'"], str: 'bye' } });
      expect(compare(raised, { outcome: { raises: 'asyncio.CancelledError' } }).pass).to.equal(true);
      expect(compare(raised, { outcome: { raises: 'asyncio.CancelledError', args: ["'bye'"], message: 'bye' } }).pass).to.equal(true);
      expect(compare(raised, { outcome: { raises: 'asyncio.CancelledError', match: '^b' } }).pass).to.equal(true);
      expect(compare(raised, { outcome: { raises: 'asyncio.CancelledError', args: [] } }).pass).to.equal(false);
      expect(compare(raised, { outcome: { raises: 'ValueError' } }).divergence!.message)
        .to.equal('outcome: expected raises ValueError, got raises asyncio.CancelledError(\'bye\') with str "bye"');
    });

    it('checks a deadlock', () => {
      expect(compare(run([], { outcome: { kind: 'deadlock' } }), { outcome: { deadlock: true } }).pass).to.equal(true);
      expect(compare(run([]), { outcome: { deadlock: true } }).pass).to.equal(false);
    });

    it('checks the trace before the outcome, so the earliest difference is shown', () => {
      const d = compare(run([print(0, 'b')], { outcome: { kind: 'deadlock' } }), { trace: [[0, 'a']], outcome: { returns: 'None' } }).divergence!;
      expect(d.where).to.equal('trace');
    });
  });

  describe('tasks', () => {
    const tasks = run([], { tasks: [
      { name: 't1', state: 'finished', value: "'done'" },
      { name: 't2', state: 'cancelled' },
      { name: 't3', state: 'failed', value: "ValueError('boom')" },
      { name: 't4', state: 'pending' },
    ] });

    it('checks the final state of each named task', () => {
      expect(compare(tasks, { tasks: { t1: { result: "'done'" }, t2: 'cancelled', t3: { exception: "ValueError('boom')" }, t4: 'pending' } }).pass).to.equal(true);
    });

    it('accepts an exception given by its type name', () => {
      expect(compare(tasks, { tasks: { t3: { exception: 'ValueError' } } }).pass).to.equal(true);
      expect(compare(tasks, { tasks: { t3: { exception: 'TypeError' } } }).pass).to.equal(false);
    });

    it('names the missing task and the tasks that exist', () => {
      const d = compare(tasks, { tasks: { nope: 'pending' } }).divergence!;
      expect(d.message).to.contain('no task is named "nope"').and.contain('t1, t2, t3, t4');
    });

    it('shows expected and actual state of a task that differs', () => {
      const d = compare(tasks, { tasks: { t2: { result: 'None' } } }).divergence!;
      expect(d.message).to.equal('tasks: expected t2: finished, result None, got t2: cancelled');
    });
  });

  describe('selectExpectation', () => {
    const scenario = { expect: [
      { python: '<3.11', trace: [[0, 'old']] },
      { python: '>=3.11', trace: [[0, 'new']] },
    ] } as unknown as Scenario;

    it('picks the variant whose range holds the Python version', () => {
      expect(selectExpectation(scenario, '3.10')!.trace).to.deep.equal([[0, 'old']]);
      expect(selectExpectation(scenario, '3.12')!.trace).to.deep.equal([[0, 'new']]);
    });

    it('returns a single expectation whatever the version', () => {
      expect(selectExpectation({ expect: { outcome: { returns: 'None' } } }, '3.7')).to.deep.equal({ outcome: { returns: 'None' } });
    });

    it('returns undefined when no variant covers the version', () => {
      const only = { expect: [{ python: '>=3.12', trace: [] }] } as unknown as Scenario;
      expect(selectExpectation(only, '3.8')).to.equal(undefined);
    });
  });
});
