/**
 * From what CPython did to what a scenario expects.
 *
 * `observedExpectation` writes a RunResult in the expectation format of
 * ast.ts, keeping the author's existing wording wherever CPython confirms
 * it: an `unordered` group whose events came in one of its permutations, a
 * warning written with `match`, an outcome that checks less than everything
 * (`{raises: TypeError}` without `args`). CPython's order inside such a group
 * is not fixed, so re-blessing must not freeze the one order it happened to
 * show this time.
 *
 * `mergeAcrossVersions` turns one expectation per Python version into the
 * scenario's `expect`: a single expectation when every version of the
 * scenario's range agrees, per-version-range variants otherwise.
 */
import { isDeepStrictEqual } from 'util';
import type {
  Expectation,
  ExpectationVariant,
  OutcomeExpectation,
  Scenario,
  TaskStateExpectation,
  TraceItem,
  UnorderedItem,
} from '../language/ast';
import type { Outcome, RunResult, TaskReport, TraceEvent } from '../results';
import { compareOutcome, compareTasks, comparedEvents, leafMatches, perfectMatching } from '../runner/compare';
import { KNOWN_PYTHONS, mergeVersions, sortVersions, versionsIn } from '../language/versions';

type Leaf = Exclude<TraceItem, UnorderedItem>;

/** CPython's default task names: not worth a `tasks` entry of their own. */
const DEFAULT_TASK_NAME = /^Task-\d+$/;

// ---------------------------------------------------------------------------
// One run → one expectation

/** The expectation `result` satisfies, in the author's wording of `template` where it still holds. */
export function observedExpectation(result: RunResult, template: Expectation | undefined): Expectation {
  const logs = !!template?.logs;
  const out: Expectation = { trace: observedTrace(comparedEvents(result.events, logs), template?.trace ?? []) };
  // The keys the author chose to check stay the keys checked: an outcome is
  // added to an expectation without one only when it says something (a
  // value, an exception, a deadlock), not for the common `None`.
  if (!template || template.outcome || !returnsNone(result.outcome)) {
    out.outcome = observedOutcome(result.outcome, template?.outcome);
  }
  const tasks = observedTasks(result.tasks, template?.tasks);
  if (tasks) out.tasks = tasks;
  if (logs) out.logs = true;
  return out;
}

function returnsNone(o: Outcome): boolean {
  return o.kind === 'returned' && o.repr === 'None';
}

export function eventItem(ev: TraceEvent): Leaf {
  switch (ev.kind) {
    case 'print':
      return [ev.t, ev.text];
    case 'warning':
      return { at: ev.t, warning: ev.category, message: ev.message };
    case 'log':
      return { at: ev.t, log: ev.level, message: firstLine(ev.message) };
  }
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function isUnordered(item: TraceItem): item is UnorderedItem {
  return !Array.isArray(item) && 'unordered' in item;
}

function leaves(item: TraceItem): Leaf[] {
  return isUnordered(item) ? item.unordered.flatMap(leaves) : [item];
}

/** How many events `item` accounts for at `events[i]`, or -1 when it does not fit there. */
function fit(item: TraceItem, events: TraceEvent[], i: number): number {
  const group = leaves(item);
  const window = events.slice(i, i + group.length);
  if (window.length < group.length) return -1;
  if (!isUnordered(item)) return leafMatches(group[0], window[0]) ? 1 : -1;
  return perfectMatching(group, window) ? group.length : -1;
}

/**
 * The observed events as trace items, reusing the template's items (groups,
 * `match` warnings) that fit: an alignment that covers as many events as
 * possible with template items, in order; every other event is written as
 * observed.
 */
export function observedTrace(events: TraceEvent[], template: TraceItem[]): TraceItem[] {
  const J = template.length;
  const I = events.length;
  // best[j][i]: events covered by template items, aligning template[j..] with events[i..].
  const best: number[][] = Array.from({ length: J + 1 }, () => new Array<number>(I + 1).fill(0));
  const span: number[][] = Array.from({ length: J }, (_, j) => Array.from({ length: I + 1 }, (_, i) => fit(template[j], events, i)));
  for (let j = J - 1; j >= 0; j--) {
    for (let i = I; i >= 0; i--) {
      let b = Math.max(best[j + 1][i], i < I ? best[j][i + 1] : 0);
      const n = span[j][i];
      if (n > 0) b = Math.max(b, n + best[j + 1][i + n]);
      best[j][i] = b;
    }
  }
  const out: TraceItem[] = [];
  let j = 0;
  let i = 0;
  while (i < I) {
    if (j < J) {
      const n = span[j][i];
      if (n > 0 && best[j][i] === n + best[j + 1][i + n]) {
        out.push(template[j]);
        i += n;
        j++;
        continue;
      }
      if (best[j][i] === best[j + 1][i]) {
        j++;
        continue;
      }
    }
    out.push(eventItem(events[i]));
    i++;
  }
  return out;
}

export function outcomeExpectation(o: Outcome): OutcomeExpectation {
  switch (o.kind) {
    case 'returned':
      return { returns: o.repr };
    case 'raised':
      return { raises: o.type, args: o.args.slice() };
    case 'deadlock':
      return { deadlock: true };
  }
}

function observedOutcome(actual: Outcome, template: OutcomeExpectation | undefined): OutcomeExpectation {
  if (template && !compareOutcome(actual, template)) return template;
  return outcomeExpectation(actual);
}

export function taskExpectation(t: TaskReport): TaskStateExpectation {
  switch (t.state) {
    case 'pending':
    case 'cancelled':
      return t.state;
    case 'finished':
      return { result: t.value ?? 'None' };
    case 'failed':
      return { exception: t.value ?? '' };
  }
}

/**
 * `tasks`: the tasks the program named itself, plus those the template
 * already checked. A template entry CPython confirms is kept as written
 * (`{exception: ValueError}` rather than the full repr).
 */
function observedTasks(actual: TaskReport[], template: Record<string, TaskStateExpectation> | undefined): Record<string, TaskStateExpectation> | undefined {
  const wanted = new Set(Object.keys(template ?? {}));
  for (const t of actual) if (!DEFAULT_TASK_NAME.test(t.name)) wanted.add(t.name);
  if (wanted.size === 0) return undefined;
  const out: Record<string, TaskStateExpectation> = {};
  for (const name of wanted) {
    // The first task of that name, as runner/compare.ts compareTasks picks:
    // an expectation blessed from another would fail validate at once.
    const task = actual.find((t) => t.name === name);
    if (!task) continue; // a task the template names but the run never created: the entry goes.
    const kept = template?.[name];
    out[name] = kept !== undefined && !compareTasks([task], { [name]: kept }) ? kept : taskExpectation(task);
  }
  return Object.keys(out).length ? out : undefined;
}

// ---------------------------------------------------------------------------
// Versions → `expect`

/** What each Python version of a scenario's range expects; undefined: nothing known. */
export type PerVersion = Map<string, Expectation | undefined>;

/** The versions a scenario's `expect` speaks about: the known versions of its range, and any other version run. */
export function scenarioVersions(scenario: Pick<Scenario, 'python'>, extra: Iterable<string> = []): string[] {
  const universe = sortVersions(new Set([...KNOWN_PYTHONS, ...extra]));
  return versionsIn(scenario.python, universe);
}

/**
 * The scenario's `expect` from one expectation per version: one expectation
 * when all versions agree, else a variant per run of consecutive versions
 * with equal expectations (ranges from versions.ts `mergeVersions`, over the
 * versions of the scenario's range). Versions without an expectation get no
 * variant at all.
 */
export function mergeAcrossVersions(perVersion: PerVersion, universe: readonly string[]): Expectation | ExpectationVariant[] | undefined {
  const groups: { expectation: Expectation; versions: string[] }[] = [];
  for (const v of universe) {
    const e = perVersion.get(v);
    if (!e) continue;
    const g = groups.find((x) => isDeepStrictEqual(x.expectation, e));
    if (g) g.versions.push(v);
    else groups.push({ expectation: e, versions: [v] });
  }
  if (groups.length === 0) return undefined;
  if (groups.length === 1 && groups[0].versions.length === universe.length) return groups[0].expectation;
  const variants: ExpectationVariant[] = [];
  for (const g of groups) {
    for (const range of mergeVersions(g.versions, universe)) variants.push({ python: range, ...g.expectation });
  }
  return variants.sort((a, b) => firstVersion(a.python, universe) - firstVersion(b.python, universe));
}

function firstVersion(range: string, universe: readonly string[]): number {
  const vs = versionsIn(range, universe);
  return vs.length ? universe.indexOf(vs[0]) : universe.length;
}
