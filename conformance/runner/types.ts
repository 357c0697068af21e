/**
 * What the runner produces: a status per (scenario, Python version), the
 * first divergence of a failure, and the report that reporters render.
 * `spec/report.schema.json` describes the JSON form of {@link Report}.
 */

/**
 * - `passed` / `failed`: the run matched / did not match the expectation.
 * - `unsupported`: the scenario requires a capability the implementation lacks.
 * - `errored`: no judgement possible (crash, hang, protocol violation, harness error).
 * - `not-applicable`: the scenario does not hold for this Python version.
 * - `expected-failure` / `unexpected-pass`: failed / passed while listed in the expectations file.
 */
export type Status =
  | 'passed' | 'failed' | 'unsupported' | 'errored' | 'not-applicable' | 'expected-failure' | 'unexpected-pass';

export const STATUSES: readonly Status[] =
  ['passed', 'failed', 'unsupported', 'errored', 'not-applicable', 'expected-failure', 'unexpected-pass'];

/** Statuses that make a run unsuccessful (exit code 1). */
export const BAD_STATUSES: ReadonlySet<Status> = new Set<Status>(['failed', 'errored', 'unexpected-pass']);

/** The first place where a run differs from its expectation, explainable in one glance. */
export interface Divergence {
  where: 'trace' | 'outcome' | 'tasks' | 'expectation';
  /** One line: what was expected and what happened instead. */
  message: string;
  /** Position in the compared actual trace (log events excluded unless `logs: true`). */
  index?: number;
  /** The expected item, rendered as a scenario author writes it. */
  expected?: string;
  /** The actual event, rendered the same way, or `(end of trace)` / `(nothing)`. */
  actual?: string;
  /** The events around `index`, actual trace, each line prefixed `  ` or `> ` (the divergent one). */
  context?: string[];
  /** The whole expected and actual traces, rendered one item per line (for diffs). */
  expectedTrace?: string[];
  actualTrace?: string[];
}

export interface ScenarioReport {
  id: string;
  title: string;
  status: Status;
  strictness: 'documented' | 'cpython-detail';
  covers: string[];
  tags: string[];
  /** The Python version this result is for ("3.11"). */
  python: string;
  /** Source file, relative to the project root, when known. */
  file?: string;
  duration_ms: number;
  /** Why: the error of an errored run, the missing capabilities, the expectations entry's reason, ... */
  reason?: string;
  divergence?: Divergence;
}

export interface Summary {
  total: number;
  passed: number;
  failed: number;
  unsupported: number;
  errored: number;
  not_applicable: number;
  expected_failure: number;
  unexpected_pass: number;
  duration_ms: number;
}

export interface ImplementationSummary {
  name: string;
  version: string;
  /** The Python version the implementation ran as ("3.11" or, when it reports it, "3.11.7"). */
  python: string;
  capabilities: string[];
}

/** An expectations-file entry that matched no scenario of the corpus. */
export interface UnmatchedExpectation {
  pattern: string;
  reason: string;
  python?: string;
}

export interface Report {
  spec_version: string;
  aiospec_version: string;
  generated_at: string;
  implementation: ImplementationSummary;
  /** The run's selection, for the record. */
  selection: { filter?: string[]; covers?: string[]; tags?: string[]; shard?: string };
  summary: Summary;
  scenarios: ScenarioReport[];
  expectations?: { file: string; unmatched: UnmatchedExpectation[] };
}

export function summaryKey(status: Status): Exclude<keyof Summary, 'total' | 'duration_ms'> {
  return status.replace('-', '_') as Exclude<keyof Summary, 'total' | 'duration_ms'>;
}

export function summarize(scenarios: ScenarioReport[], durationMs: number): Summary {
  const s: Summary = {
    total: scenarios.length, passed: 0, failed: 0, unsupported: 0, errored: 0,
    not_applicable: 0, expected_failure: 0, unexpected_pass: 0, duration_ms: Math.round(durationMs),
  };
  for (const r of scenarios) s[summaryKey(r.status)]++;
  return s;
}

/** Whether a report counts as all good (exit code 0). */
export function isSuccess(report: Report): boolean {
  return report.scenarios.every((s) => !BAD_STATUSES.has(s.status));
}

/** A wrong option (--impl, --python, --shard, a selection matching nothing): the CLI exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
