/**
 * aiospec as a library: run the conformance corpus from another project's
 * code or test runner.
 *
 * @example
 * ```ts
 * import { runScenarios, formatReport } from 'aiospec';
 * const report = await runScenarios({ impl: 'process:python3 my_adapter.py', filter: ['gather.*'] });
 * console.log(formatReport(report));
 * ```
 *
 * @example Mocha: one test per scenario, named `<id>: <title>`.
 * ```ts
 * import { describeScenarios } from 'aiospec';
 * describeScenarios({ impl: { adapter: myAdapter }, python: '3.12' });
 * ```
 */
import type { InProcessAdapter } from './adapters/adapter';
import { loadCorpus as loadCorpusFrom, type Corpus } from './runner/corpus';
import { Expectations } from './runner/expectations';
import type { Executor } from './runner/executor';
import { select, type Selection } from './runner/filter';
import { majorMinor, startExecutor, type ImplSpec } from './runner/impls';
import { CorpusError, runMatrix, runOne, runScenarios as run, type RunOptions } from './runner/run';
import { formatScenario } from './reporters/console';
import { BAD_STATUSES, type Report, type ScenarioReport } from './runner/types';

export type { Scenario, Expectation } from './language/ast';
export type { RunResult, TraceEvent, Outcome, TaskReport } from './results';
export type { InProcessAdapter, Session, ImplementationInfo } from './adapters/adapter';
export type { ProcessAdapterOptions, Hello } from './adapters/process';
export type { Report, ScenarioReport, Status, Summary, Divergence } from './runner/types';
export type { RunOptions, ImplSpec, Selection, Corpus };
export { ProcessAdapter, PROTOCOL_VERSION } from './adapters/process';
export { compare, selectExpectation } from './runner/compare';
export { Expectations } from './runner/expectations';
export { parseShard } from './runner/filter';
export { isSuccess, STATUSES } from './runner/types';
export { CorpusError, runMatrix };
export { formatReport, formatScenario, toJson, toJUnit, toMarkdown, toHtml, validateReport, writeReports } from './reporters';

/** Runs the (selected) corpus on one implementation as one Python version. */
export function runScenarios(options: RunOptions): Promise<Report> {
  return run(options);
}

/** Loads the corpus (default: the scenarios shipped with aiospec); throws CorpusError on any load problem. */
export function loadCorpus(paths?: string[]): Corpus {
  const corpus = loadCorpusFrom(paths);
  if (corpus.errors.length) throw new CorpusError(corpus.errors);
  return corpus;
}

/** The test-runner functions describeScenarios needs (mocha's globals by default). */
export interface MochaLike {
  describe(title: string, fn: () => void): unknown;
  it(title: string, fn: (this: { skip(): void }) => Promise<void>): unknown;
  before(fn: () => Promise<void>): unknown;
  after(fn: () => Promise<void>): unknown;
}

export interface DescribeOptions extends Selection {
  impl: ImplSpec | InProcessAdapter;
  python?: string;
  timeoutMs?: number;
  jobs?: number;
  expectations?: string | Expectations;
  corpus?: Corpus;
  paths?: string[];
  /** The suite's title; default `aiospec on <impl>`. */
  title?: string;
}

/**
 * Registers a suite with one test per selected scenario, named `<id>: <title>`.
 * A failing or errored scenario fails its test with the first divergence;
 * unsupported and not-applicable scenarios are skipped; an expected failure
 * passes, an unexpected pass fails.
 */
export function describeScenarios(options: DescribeOptions, mocha: MochaLike = globalThis as unknown as MochaLike): void {
  const corpus = options.corpus ?? loadCorpus(options.paths);
  const scenarios = select(corpus.scenarios, options);
  const impl: ImplSpec = isAdapter(options.impl) ? { adapter: options.impl } : options.impl;
  const expectations = typeof options.expectations === 'string' ? Expectations.load(options.expectations) : options.expectations;
  let executor: Executor | undefined;
  mocha.describe(options.title ?? `aiospec on ${typeof impl === 'string' ? impl : 'adapter' in impl ? impl.adapter.info().name : impl.process.command}`, () => {
    mocha.before(async () => {
      executor = await startExecutor(impl, { python: options.python, jobs: options.jobs, timeoutMs: options.timeoutMs });
    });
    mocha.after(async () => {
      await executor?.close();
    });
    for (const scenario of scenarios) {
      mocha.it(`${scenario.id}: ${scenario.title}`, async function () {
        const python = majorMinor(options.python ?? executor!.info.python);
        const r: ScenarioReport = await runOne(scenario, executor!, python, expectations, corpus.files.get(scenario.id));
        if (r.status === 'unsupported' || r.status === 'not-applicable') return this.skip();
        if (BAD_STATUSES.has(r.status)) {
          throw new Error(formatScenario(r));
        }
      });
    }
  });
}

function isAdapter(x: unknown): x is InProcessAdapter {
  return !!x && typeof x === 'object' && typeof (x as InProcessAdapter).open === 'function' && typeof (x as InProcessAdapter).info === 'function';
}
