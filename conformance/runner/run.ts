/**
 * Runs a selection of the corpus on one implementation, as one Python
 * version, and builds the Report.
 *
 * Order is deterministic: scenarios are sorted by id, sharded after sorting,
 * and reported in that order whatever the parallelism. Each scenario ends in
 * exactly one status (types.ts); nothing a scenario does can stop the run.
 */
import type { Scenario } from '../language/ast';
import { compare, selectExpectation } from './compare';
import { loadCorpus, type Corpus } from './corpus';
import { Expectations, applyKnownFailure } from './expectations';
import type { Executor } from './executor';
import { applicability, select, type Selection } from './filter';
import { StartError, checkPythons, implLabel, majorMinor, startExecutor, type ImplSpec } from './impls';
import { aiospecVersion, specVersion } from './spec-version';
import { summarize, type Report, type ScenarioReport } from './types';

export interface RunOptions extends Selection {
  impl: ImplSpec;
  /** "3.11"; default: the implementation's own (reference: 3.10). */
  python?: string;
  /** Scenarios in flight at once (worker threads or implementation processes). Default 1. */
  jobs?: number;
  /** Per-scenario timeout, ms. */
  timeoutMs?: number;
  /** A known-failures file or an already loaded one. */
  expectations?: string | Expectations;
  /** The corpus, already loaded; or scenario files/directories to load. Default: conformance/scenarios/. */
  corpus?: Corpus;
  paths?: string[];
  /** Called once the selection is known, then after each scenario (in completion order). */
  onStart?(total: number, info: Report['implementation']): void;
  onResult?(result: ScenarioReport, done: number, total: number): void;
}

/** Raised when the corpus cannot be loaded cleanly (exit code 2). */
export class CorpusError extends Error {
  constructor(readonly errors: string[]) {
    super(`the scenario corpus has ${errors.length} load error(s):\n  ${errors.join('\n  ')}`);
    this.name = 'CorpusError';
  }
}

export async function runScenarios(opts: RunOptions): Promise<Report> {
  const corpus = opts.corpus ?? loadCorpus(opts.paths);
  if (corpus.errors.length) throw new CorpusError(corpus.errors);
  const expectations = typeof opts.expectations === 'string' ? Expectations.load(opts.expectations) : opts.expectations;
  const selected = select(corpus.scenarios, opts);
  const executor = await startExecutor(opts.impl, { python: opts.python, jobs: opts.jobs, timeoutMs: opts.timeoutMs });
  const started = process.hrtime.bigint();
  try {
    const python = majorMinor(opts.python ?? executor.info.python);
    opts.onStart?.(selected.length, executor.info);
    const results = await runAll(selected, executor, python, expectations, corpus, opts);
    return buildReport(executor.info, opts, results, started, corpus, expectations);
  } finally {
    await executor.close();
  }
}

export interface MatrixOptions extends Omit<RunOptions, 'python'> {
  /** One report per entry; undefined: the implementation's default version. */
  pythons: (string | undefined)[];
  /** Called with each version's report as soon as it is complete, before the next version starts. */
  onReport?(report: Report): void;
}

/**
 * One report per Python version, run one after the other. Versions an
 * in-process implementation does not have are refused before anything runs.
 * A version that cannot be started otherwise (no such interpreter, wrong
 * version) becomes a report with every selected scenario errored, and the
 * other versions still run; with a single version there is nothing to keep,
 * so its StartError propagates (a usage error for the CLI).
 */
export async function runMatrix(opts: MatrixOptions): Promise<Report[]> {
  const corpus = opts.corpus ?? loadCorpus(opts.paths);
  if (corpus.errors.length) throw new CorpusError(corpus.errors);
  // Loaded once: the same known failures apply to every version.
  const expectations = typeof opts.expectations === 'string' ? Expectations.load(opts.expectations) : opts.expectations;
  checkPythons(opts.impl, opts.pythons);
  const reports: Report[] = [];
  for (const python of opts.pythons) {
    let report: Report;
    try {
      report = await runScenarios({ ...opts, corpus, expectations, python });
    } catch (err) {
      if (!(err instanceof StartError) || opts.pythons.length === 1) throw err;
      report = unstartedReport(opts, corpus, expectations, python, err);
    }
    reports.push(report);
    opts.onReport?.(report);
  }
  return reports;
}

/**
 * The report of a version whose implementation never started: every selected
 * scenario errored with the reason. Known failures are not applied: they
 * describe the implementation's behaviour, and nothing of it was seen.
 */
function unstartedReport(opts: RunOptions, corpus: Corpus, expectations: Expectations | undefined, python: string | undefined, err: StartError): Report {
  const started = process.hrtime.bigint();
  const version = python === undefined ? 'unknown' : majorMinor(python);
  const info: Report['implementation'] = { name: implLabel(opts.impl), version: 'unknown', python: python ?? 'unknown', capabilities: [] };
  const selected = select(corpus.scenarios, opts);
  opts.onStart?.(selected.length, info);
  const results = selected.map((s, k): ScenarioReport => {
    const file = corpus.files.get(s.id);
    const r: ScenarioReport = {
      id: s.id, title: s.title, strictness: s.strictness, covers: s.covers ?? [], tags: s.tags ?? [], python: version,
      ...(file ? { file } : {}), status: 'errored', duration_ms: 0, reason: `implementation not started: ${err.message}`,
    };
    opts.onResult?.(r, k + 1, selected.length);
    return r;
  });
  return buildReport(info, opts, results, started, corpus, expectations);
}

function buildReport(
  info: Report['implementation'], opts: Selection, results: ScenarioReport[], started: bigint, corpus: Corpus, expectations: Expectations | undefined,
): Report {
  return {
    spec_version: specVersion(),
    aiospec_version: aiospecVersion(),
    generated_at: new Date().toISOString(),
    implementation: info,
    selection: selectionRecord(opts),
    summary: summarize(results, Number(process.hrtime.bigint() - started) / 1e6),
    scenarios: results,
    ...(expectations ? { expectations: { file: expectations.file, unmatched: expectations.unmatched(corpus.scenarios.map((s) => s.id)) } } : {}),
  };
}

function selectionRecord(opts: Selection): Report['selection'] {
  const r: Report['selection'] = {};
  if (opts.filter?.length) r.filter = opts.filter;
  if (opts.covers?.length) r.covers = opts.covers;
  if (opts.tags?.length) r.tags = opts.tags;
  if (opts.shard) r.shard = `${opts.shard.index + 1}/${opts.shard.count}`;
  return r;
}

async function runAll(scenarios: Scenario[], executor: Executor, python: string, expectations: Expectations | undefined, corpus: Corpus, opts: RunOptions): Promise<ScenarioReport[]> {
  const results = new Array<ScenarioReport>(scenarios.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < scenarios.length) {
      const k = next++;
      results[k] = await runOne(scenarios[k], executor, python, expectations, corpus.files.get(scenarios[k].id));
      opts.onResult?.(results[k], ++done, scenarios.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, executor.concurrency) }, lane));
  return results;
}

/** Judges one scenario; never throws. */
export async function runOne(scenario: Scenario, executor: Executor, python: string, expectations: Expectations | undefined, file?: string): Promise<ScenarioReport> {
  const base = {
    id: scenario.id, title: scenario.title, strictness: scenario.strictness, covers: scenario.covers ?? [],
    tags: scenario.tags ?? [], python, ...(file ? { file } : {}),
  };
  if (!/^\d+\.\d+$/.test(python)) {
    // The implementation never said which Python it is (it could not be started): nothing can be judged.
    const job = await executor.run(scenario, python);
    return finish(base, 'errored', job.ms, undefined, job.reason ?? `the implementation's Python version is unknown`);
  }
  const app = applicability(scenario, python, executor.info.capabilities);
  if (!app.applies) return { ...base, status: app.status, reason: app.reason, duration_ms: 0 };
  const known = expectations?.lookup(scenario.id, python);
  const expectation = selectExpectation(scenario, python);
  if (!expectation) {
    return finish(base, 'errored', 0, known, `no expectation variant holds for Python ${python}`, {
      where: 'expectation', message: `the scenario declares python ${scenario.python} but none of its expect variants covers ${python}`,
    });
  }
  const job = await executor.run(scenario, python);
  if (!job.ok || !job.result) return finish(base, 'errored', job.ms, known, job.reason ?? 'no result');
  const verdict = compare(job.result, expectation);
  return finish(base, verdict.pass ? 'passed' : 'failed', job.ms, known, undefined, verdict.divergence);
}

function finish(
  base: Omit<ScenarioReport, 'status' | 'duration_ms'>, status: ScenarioReport['status'], ms: number,
  known: ReturnType<Expectations['lookup']>, reason?: string, divergence?: ScenarioReport['divergence'],
): ScenarioReport {
  const after = applyKnownFailure(status, known);
  const why = [after.reason, reason].filter(Boolean).join('; ');
  return {
    ...base, status: after.status, duration_ms: Math.round(ms * 1000) / 1000,
    ...(why ? { reason: why } : {}), ...(divergence ? { divergence } : {}),
  };
}
