/**
 * Judges what a run produced (RunResult) against what a scenario expects
 * (Expectation), and explains a failure by its FIRST divergence.
 *
 * Rules (INTERPRETING.md, "Judging a run"):
 * - The trace is compared in exact order; an `unordered` group matches the
 *   same number of consecutive events, in any order.
 * - Times are compared exactly (virtual time: `1.5` is `1.5`, never "about").
 * - A warning matches by category and, when given, exact `message` or a
 *   `match` regex (ECMAScript, unanchored search).
 * - `log` events take part only when the expectation says `logs: true`;
 *   a log message is compared by its first line.
 * - `outcome` and `tasks` are checked only when the expectation has them.
 * The trace is checked first, then the outcome, then tasks: the earliest
 * observable difference is the most useful one to show.
 */
import type { Expectation, ExpectationVariant, LogItem, OutcomeExpectation, PrintItem, Scenario, TaskStateExpectation, TraceItem, UnorderedItem, WarningItem } from '../language/ast';
import type { Outcome, RunResult, TaskReport, TraceEvent } from '../results';
import type { Divergence } from './types';
import { versionMatches } from './deps';

export interface Verdict {
  pass: boolean;
  divergence?: Divergence;
}

/** Lines of context shown on each side of a divergence. */
const CONTEXT = 2;

// ---------------------------------------------------------------------------
// Choosing the expectation

/** The expectation that holds for `python` ("3.11"), or undefined when no variant covers it. */
export function selectExpectation(scenario: Pick<Scenario, 'expect'>, python: string): Expectation | undefined {
  const expect = scenario.expect;
  if (!Array.isArray(expect)) return expect;
  return expect.find((v: ExpectationVariant) => versionMatches(v.python, python));
}

// ---------------------------------------------------------------------------
// The verdict

export function compare(result: RunResult, expectation: Expectation): Verdict {
  const divergence =
    (expectation.trace && compareTrace(result.events, expectation.trace, !!expectation.logs)) ||
    (expectation.outcome && compareOutcome(result.outcome, expectation.outcome)) ||
    (expectation.tasks && compareTasks(result.tasks, expectation.tasks)) ||
    undefined;
  return divergence ? { pass: false, divergence } : { pass: true };
}

// ---------------------------------------------------------------------------
// Trace

type Leaf = PrintItem | WarningItem | LogItem;

function isUnordered(item: TraceItem): item is UnorderedItem {
  return !Array.isArray(item) && 'unordered' in item;
}

function leaves(item: TraceItem): Leaf[] {
  return isUnordered(item) ? item.unordered.flatMap(leaves) : [item];
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function messageMatches(actual: string, exact: string | undefined, pattern: string | undefined): boolean {
  if (exact !== undefined && actual !== exact) return false;
  if (pattern !== undefined && !new RegExp(pattern).test(actual)) return false;
  return true;
}

export function leafMatches(leaf: Leaf, ev: TraceEvent): boolean {
  if (Array.isArray(leaf)) return ev.kind === 'print' && ev.t === leaf[0] && ev.text === leaf[1];
  if ('warning' in leaf) {
    return ev.kind === 'warning' && ev.t === leaf.at && ev.category === leaf.warning &&
      messageMatches(ev.message, leaf.message, leaf.match);
  }
  return ev.kind === 'log' && ev.t === leaf.at && ev.level === leaf.log &&
    messageMatches(firstLine(ev.message), leaf.message, leaf.match);
}

/** The events a trace expectation is compared with. */
export function comparedEvents(events: TraceEvent[], logs: boolean): TraceEvent[] {
  return logs ? events : events.filter((e) => e.kind !== 'log');
}

export function compareTrace(allEvents: TraceEvent[], expected: TraceItem[], logs: boolean): Divergence | undefined {
  const events = comparedEvents(allEvents, logs);
  let i = 0;
  const fail = (index: number, exp: string, why?: string): Divergence => {
    const actual = index < events.length ? renderEvent(events[index]) : '(end of trace)';
    const hint = why ?? explain(exp, index < events.length ? events[index] : undefined, expected, events, index);
    return {
      where: 'trace',
      message: `trace[${index}]: expected ${exp}, got ${actual}${hint ? ` (${hint})` : ''}`,
      index, expected: exp, actual,
      context: context(events, index),
      expectedTrace: expected.map(renderItem),
      actualTrace: events.map(renderEvent),
    };
  };
  for (const item of expected) {
    if (!isUnordered(item)) {
      if (i >= events.length || !leafMatches(item, events[i])) return fail(i, renderItem(item));
      i++;
      continue;
    }
    const group = leaves(item);
    const window = events.slice(i, i + group.length);
    if (window.length === group.length && perfectMatching(group, window)) {
      i += group.length;
      continue;
    }
    // Explain: walk the window in order, taking for each event the first
    // still-unused item it matches; the first event that matches none (or the
    // end of the trace) is the divergence.
    const unused = group.slice();
    for (let j = 0; j <= window.length; j++) {
      const k = j < window.length ? unused.findIndex((leaf) => leafMatches(leaf, window[j])) : -1;
      if (k < 0) {
        const exp = unused.length === 1 ? renderItem(unused[0]) : `one of ${unused.map(renderItem).join(' | ')}`;
        return fail(i + j, exp, 'inside an unordered group');
      }
      unused.splice(k, 1);
    }
  }
  if (i < events.length) return fail(i, '(end of trace)', 'an event more than expected');
  return undefined;
}

/** Whether each leaf can be paired with a distinct event (groups are small: plain backtracking). */
export function perfectMatching(group: Leaf[], window: TraceEvent[]): boolean {
  const used = new Array<boolean>(window.length).fill(false);
  const place = (k: number): boolean => {
    if (k === group.length) return true;
    for (let j = 0; j < window.length; j++) {
      if (used[j] || !leafMatches(group[k], window[j])) continue;
      used[j] = true;
      if (place(k + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  return place(0);
}

/** A short hint for the common near-misses: right event at the wrong time, or an event missing/extra. */
function explain(exp: string, ev: TraceEvent | undefined, expected: TraceItem[], events: TraceEvent[], index: number): string | undefined {
  if (!ev) return `${events.length} event(s) in the trace, ${expected.flatMap(leaves).length} expected`;
  const item = expected.flatMap(leaves).find((l) => renderItem(l) === exp);
  if (item && Array.isArray(item) && ev.kind === 'print' && ev.text === item[1] && ev.t !== item[0]) {
    return `same line, printed at t=${fmtTime(ev.t)} instead of t=${fmtTime(item[0])}`;
  }
  if (item && Array.isArray(item) && events.slice(index + 1).some((e) => leafMatches(item, e))) {
    return 'the expected line comes later: an extra event before it';
  }
  return undefined;
}

function context(events: TraceEvent[], index: number): string[] {
  const lines: string[] = [];
  const from = Math.max(0, index - CONTEXT);
  const to = Math.min(events.length, index + CONTEXT + 1);
  for (let j = from; j < to; j++) lines.push(`${j === index ? '> ' : '  '}${j}: ${renderEvent(events[j])}`);
  if (index >= events.length) lines.push(`> ${events.length}: (end of trace)`);
  return lines;
}

// ---------------------------------------------------------------------------
// Outcome

export function compareOutcome(actual: Outcome, expected: OutcomeExpectation): Divergence | undefined {
  let ok: boolean;
  if ('returns' in expected) ok = actual.kind === 'returned' && actual.repr === expected.returns;
  else if ('raises' in expected) {
    ok = actual.kind === 'raised' && actual.type === expected.raises &&
      (expected.args === undefined || sameList(actual.args, expected.args)) &&
      messageMatches(actual.str, expected.message, expected.match);
  } else ok = actual.kind === 'deadlock';
  if (ok) return undefined;
  const exp = renderOutcomeExpectation(expected);
  const act = renderOutcome(actual);
  return { where: 'outcome', message: `outcome: expected ${exp}, got ${act}`, expected: exp, actual: act };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

// ---------------------------------------------------------------------------
// Tasks

/**
 * Each expected task is judged against the FIRST task of that name, in the
 * order the implementation reports its tasks (creation order). Names need
 * not be unique (a scenario may create tasks in a loop); the first is the
 * rule, and the oracle follows the same one, so both sides agree on which
 * task an expectation describes.
 */
export function compareTasks(actual: TaskReport[], expected: Record<string, TaskStateExpectation>): Divergence | undefined {
  for (const [name, want] of Object.entries(expected)) {
    const task = actual.find((t) => t.name === name);
    const exp = `${name}: ${renderTaskExpectation(want)}`;
    if (!task) {
      const names = actual.map((t) => t.name).join(', ') || 'none';
      return { where: 'tasks', message: `tasks: expected ${exp}, but no task is named ${JSON.stringify(name)} (tasks: ${names})`, expected: exp, actual: '(no such task)' };
    }
    if (!taskMatches(task, want)) {
      const act = `${name}: ${renderTask(task)}`;
      return { where: 'tasks', message: `tasks: expected ${exp}, got ${act}`, expected: exp, actual: act };
    }
  }
  return undefined;
}

function taskMatches(task: TaskReport, want: TaskStateExpectation): boolean {
  if (want === 'pending' || want === 'cancelled') return task.state === want;
  if ('result' in want) return task.state === 'finished' && task.value === want.result;
  if (task.state !== 'failed') return false;
  // `exception` is the exception's repr, or just its type name ("ValueError", "asyncio.CancelledError").
  const value = task.value ?? '';
  if (value === want.exception) return true;
  if (/^[\w.]+$/.test(want.exception)) {
    const short = want.exception.slice(want.exception.lastIndexOf('.') + 1);
    return value.startsWith(`${short}(`) || value.startsWith(`${want.exception}(`);
  }
  return false;
}

// ---------------------------------------------------------------------------
// Rendering, as a scenario author writes things

export function fmtTime(t: number): string {
  return String(t);
}

const q = (s: string) => JSON.stringify(s);

function renderMessage(message: string | undefined, match: string | undefined): string {
  return (message !== undefined ? `, message: ${q(message)}` : '') + (match !== undefined ? `, match: /${match}/` : '');
}

export function renderItem(item: TraceItem): string {
  if (Array.isArray(item)) return `[${fmtTime(item[0])}, ${q(item[1])}]`;
  if (isUnordered(item)) return `{unordered: [${item.unordered.map(renderItem).join(', ')}]}`;
  if ('warning' in item) return `{at: ${fmtTime(item.at)}, warning: ${item.warning}${renderMessage(item.message, item.match)}}`;
  return `{at: ${fmtTime(item.at)}, log: ${item.log}${renderMessage(item.message, item.match)}}`;
}

export function renderEvent(ev: TraceEvent): string {
  switch (ev.kind) {
    case 'print': return `[${fmtTime(ev.t)}, ${q(ev.text)}]`;
    case 'warning': return `{at: ${fmtTime(ev.t)}, warning: ${ev.category}, message: ${q(ev.message)}}`;
    case 'log': return `{at: ${fmtTime(ev.t)}, log: ${ev.level}, message: ${q(firstLine(ev.message))}}`;
  }
}

export function renderOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'returned': return `returns ${o.repr}`;
    case 'raised': return `raises ${o.type}(${o.args.join(', ')})${o.str ? ` with str ${q(o.str)}` : ''}`;
    case 'deadlock': return 'deadlock';
  }
}

export function renderOutcomeExpectation(o: OutcomeExpectation): string {
  if ('returns' in o) return `returns ${o.returns}`;
  if ('raises' in o) {
    return `raises ${o.raises}${o.args ? `(${o.args.join(', ')})` : ''}` +
      (o.message !== undefined ? ` with str ${q(o.message)}` : '') + (o.match !== undefined ? ` matching /${o.match}/` : '');
  }
  return 'deadlock';
}

function renderTaskExpectation(t: TaskStateExpectation): string {
  if (typeof t === 'string') return t;
  return 'result' in t ? `finished, result ${t.result}` : `failed, exception ${t.exception}`;
}

function renderTask(t: TaskReport): string {
  if (t.state === 'finished') return `finished, result ${t.value}`;
  if (t.state === 'failed') return `failed, exception ${t.value}`;
  return t.state;
}
