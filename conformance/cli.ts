/**
 * The `aiospec` command.
 *
 *   aiospec run [--impl reference|cpython|pyodide|process:<cmd>|module:<path>] [--python 3.10,3.12]
 *               [--filter glob] [--covers glob] [--tag t] [--shard i/n] [--jobs N] [--timeout ms]
 *               [--expectations file] [--json] [--reports dir] [--no-reports] [--verbose]
 *   aiospec list [--json] [selection options]
 *   aiospec lint [paths...]
 *   aiospec show <id>
 *   aiospec repro|bless|validate|pythons ...   (conformance/python/, conformance/oracle/)
 *
 * Exit codes: 0 all good, 1 failures (failed, errored or unexpectedly passing
 * scenarios), 2 usage or load errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { loadCorpus, type Corpus } from './runner/corpus';
import { MissingModuleError, ROOT, pythonCompiler, requireConformance } from './runner/deps';
import { ExpectationsError } from './runner/expectations';
import { parseShard, selectChecked, splitList, type Selection } from './runner/filter';
import { UsageError, majorMinor } from './runner/impls';
import { CorpusError, runMatrix } from './runner/run';
import { isSuccess, type Report } from './runner/types';
import { renderItem, renderOutcomeExpectation } from './runner/compare';
import { ConsoleReporter } from './reporters/console';
import { toJson } from './reporters/json';
import { writeReports } from './reporters';
import { CatalogueError } from './reporters/catalogue';
import type { Scenario } from './language/ast';
import { VersionRangeError } from './language/versions';

export const EXIT_OK = 0;
export const EXIT_FAILURES = 1;
export const EXIT_USAGE = 2;

/** Commands implemented in conformance/oracle/, each module exporting `cmd<Name>(argv: string[]): Promise<number>` (or `main`). */
const DELEGATED: Record<string, { module: string; fn: string; summary: string }> = {
  repro: { module: 'oracle/repro', fn: 'cmdRepro', summary: 'export a scenario as a standalone Python script that reproduces its expectation on CPython' },
  bless: { module: 'oracle/bless', fn: 'cmdBless', summary: 'run scenarios on real CPython interpreters and write their expectations' },
  validate: { module: 'oracle/validate', fn: 'cmdValidate', summary: 'check every expectation against real CPython for its declared versions' },
  pythons: { module: 'oracle/pythons', fn: 'cmdPythons', summary: 'list the CPython interpreters found on this machine' },
  matrix: { module: 'oracle/matrix', fn: 'cmdMatrix', summary: 'write the scenario × CPython version matrix into reports/' },
};

interface SelectionFlags { filter?: string[]; covers?: string[]; tag?: string[]; shard?: string }

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function addSelection(cmd: Command): Command {
  return cmd
    .option('--filter <glob>', 'scenario id glob (repeatable, or comma-separated)', collect)
    .option('--covers <glob>', 'behaviour id glob from spec/catalogue.yaml (repeatable)', collect)
    .option('--tag <tag>', 'scenario tag (repeatable)', collect)
    .option('--shard <i/n>', 'run the i-th of n interleaved shards (after sorting by id)')
    .option('--scenarios <path>', 'scenario files or directories instead of conformance/scenarios/', collect);
}

function selectionOf(flags: SelectionFlags): Selection {
  return {
    filter: splitList(flags.filter),
    covers: splitList(flags.covers),
    tags: splitList(flags.tag),
    shard: flags.shard ? parseShard(flags.shard) : undefined,
  };
}

/** The selected scenarios; a pattern matching nothing, or an empty selection, is a usage error. */
function selectOrThrow(corpus: Corpus, selection: Selection): Scenario[] {
  const { selected, unmatched } = selectChecked(corpus.scenarios, selection);
  if (unmatched.length) throw new UsageError(`no scenario matches ${unmatched.join(', ')}`);
  if (selected.length === 0) throw new UsageError('the selection is empty (no scenario passes every option together)');
  return selected;
}

function corpusOrThrow(paths?: string[]): Corpus {
  const corpus = loadCorpus(paths);
  if (corpus.errors.length) throw new CorpusError(corpus.errors);
  return corpus;
}

export async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);

  const program = new Command('aiospec')
    .description("Executable specification of Python asyncio's Coroutines and Tasks semantics")
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err })
    .showHelpAfterError();

  addSelection(program.command('run').description('run scenarios on an implementation and report compliance'))
    .option('--impl <impl>', 'reference | cpython | pyodide | process:<command> | module:<path>', 'reference')
    .option('--python <X.Y>', 'Python version(s) to behave as (repeatable, comma-separated, or "all")', collect)
    .option('--jobs <n>', 'scenarios in flight at once (worker threads or implementation processes)', '1')
    .option('--timeout <ms>', 'per-scenario timeout in milliseconds', '10000')
    .option('--expectations <file>', 'known failures of this implementation (YAML)')
    .option('--json', 'print the JSON report alone on stdout (progress and summary go to stderr)')
    .option('--reports <dir>', 'where to write JSON, JUnit, Markdown and HTML reports', 'reports')
    .option('--no-reports', 'write no report files')
    .option('--verbose', 'list every scenario, not only failures')
    .action(async (flags) => { code = await runCommand(flags); });

  addSelection(program.command('list').description('list the scenarios (after selection)'))
    .option('--json', 'as JSON')
    .action((flags) => { code = listCommand(flags); });

  program.command('lint').description('check scenario files (schema, ids, versions, metadata)')
    .argument('[paths...]', 'files or directories (default: conformance/scenarios/)')
    .action(async (paths: string[]) => { code = await lintCommand(paths); });

  program.command('show').description('print a scenario, its program and its expected trace')
    .argument('<id>', 'scenario id')
    .addOption(new Option('--python <X.Y>', 'show the expectation variant for this version'))
    .option('--scenarios <path>', 'scenario files or directories', collect)
    .action((id: string, flags) => { code = showCommand(id, flags); });

  for (const [name, d] of Object.entries(DELEGATED)) {
    program.command(name).description(d.summary)
      .allowUnknownOption().helpOption(false)
      .argument('[args...]')
      .action(async (args: string[]) => { code = await delegate(name, args); });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT_OK : EXIT_USAGE;
    }
    if (e instanceof UsageError || e instanceof CorpusError || e instanceof ExpectationsError || e instanceof MissingModuleError || e instanceof VersionRangeError || e instanceof CatalogueError) {
      err(`aiospec: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return code;
}

// ---------------------------------------------------------------------------

interface RunFlags extends SelectionFlags {
  impl: string; python?: string[]; jobs: string; timeout: string; expectations?: string;
  json?: boolean; reports: string | false; verbose?: boolean; scenarios?: string[];
}

async function runCommand(flags: RunFlags): Promise<number> {
  const jobs = Number(flags.jobs);
  const timeoutMs = Number(flags.timeout);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs wants a positive integer, got ${flags.jobs}`);
  if (!(timeoutMs > 0)) throw new UsageError(`--timeout wants a positive number of ms, got ${flags.timeout}`);
  const corpus = corpusOrThrow(flags.scenarios);
  const selection = selectionOf(flags);
  selectOrThrow(corpus, selection);
  const pythons = await pythonList(flags.impl, splitList(flags.python));
  const consoleReporter = new ConsoleReporter({ stream: flags.json ? process.stderr : process.stdout, verbose: flags.verbose });
  const say = flags.json ? process.stderr : process.stdout;
  const done: Report[] = [];
  // Each version's report is printed and written as soon as it is complete:
  // a later version that crashes the harness cannot lose the earlier ones.
  const reports = await runMatrix({
    impl: flags.impl, pythons, jobs, timeoutMs, corpus, expectations: flags.expectations, ...selection,
    onStart: (total, info) => consoleReporter.onStart(total, info),
    onResult: (r, n) => consoleReporter.onResult(r, n),
    onReport: (r) => {
      done.push(r);
      consoleReporter.finish(r);
      if (flags.reports !== false) {
        const written = writeReports(done, path.resolve(flags.reports));
        say.write(`reports: ${written.map((f) => path.relative(process.cwd(), f)).join(', ')}\n`);
      }
    },
  });
  if (flags.json) process.stdout.write(toJson(reports.length === 1 ? reports[0] : reports));
  return reports.every(isSuccess) ? EXIT_OK : EXIT_FAILURES;
}

/**
 * Which Python versions to run. The reference defaults to 3.10 (the docs'
 * edition) and `all` is every profile; CPython and Pyodide default to every
 * interpreter installed (`aiospec pythons`), one report each.
 */
async function pythonList(impl: string, asked: string[] | undefined): Promise<(string | undefined)[]> {
  const installed = async (): Promise<string[]> => {
    if (impl === 'cpython') return (await import('./python/discovery')).discoverPythons().map((p) => p.minor);
    const { installedPyodides } = await import('./python/pyodide');
    return [...new Set(installedPyodides().map((r) => majorMinor(r.python)))];
  };
  const oracle = impl === 'cpython' || impl === 'pyodide';
  if (!asked) return oracle ? installed() : [undefined];
  if (!asked.includes('all')) return asked;
  if (oracle) return installed();
  if (impl !== 'reference') throw new UsageError('--python all is for the reference and the CPython/Pyodide oracles; list the versions');
  const { referenceAdapter } = await import('./runner/deps');
  return referenceAdapter().info().pythons;
}

function listCommand(flags: SelectionFlags & { json?: boolean; scenarios?: string[] }): number {
  const corpus = corpusOrThrow(flags.scenarios);
  const chosen = selectOrThrow(corpus, selectionOf(flags));
  if (flags.json) {
    process.stdout.write(JSON.stringify(chosen.map((s) => ({
      id: s.id, title: s.title, file: corpus.files.get(s.id), python: s.python, strictness: s.strictness,
      covers: s.covers ?? [], tags: s.tags ?? [], requires: s.requires ?? [],
    })), null, 2) + '\n');
  } else {
    const width = Math.max(0, ...chosen.map((s) => s.id.length));
    for (const s of chosen) process.stdout.write(`${s.id.padEnd(width)}  ${s.title}\n`);
  }
  return EXIT_OK;
}

async function lintCommand(paths: string[]): Promise<number> {
  type LintModule = {
    lint?: (paths: string[], options?: { uncovered?: boolean }) => { errors: unknown[] };
    formatLintResult?: (r: { errors: unknown[] }) => string;
  };
  const mod = requireConformance<LintModule>('language/lint', 'The scenario linter');
  if (typeof mod.lint !== 'function' || typeof mod.formatLintResult !== 'function') {
    throw new MissingModuleError('The scenario linter', 'conformance/language/lint', 'exports no lint / formatLintResult');
  }
  // Uncovered catalogue entries only mean something for the whole corpus.
  const result = mod.lint(paths.length ? paths : [path.join(ROOT, 'conformance', 'scenarios')], { uncovered: paths.length === 0 });
  process.stdout.write(mod.formatLintResult(result) + '\n');
  return result.errors.length ? EXIT_FAILURES : EXIT_OK;
}

function showCommand(id: string, flags: { python?: string; scenarios?: string[] }): number {
  const corpus = corpusOrThrow(flags.scenarios);
  const s = corpus.scenarios.find((x) => x.id === id);
  if (!s) throw new UsageError(`no scenario ${JSON.stringify(id)}${suggest(id, corpus.scenarios)}`);
  process.stdout.write(describeScenario(s, corpus.files.get(id), flags.python));
  return EXIT_OK;
}

function suggest(id: string, all: Scenario[]): string {
  const area = id.split('.')[0];
  const near = all.filter((s) => s.id.startsWith(`${area}.`)).slice(0, 5).map((s) => s.id);
  return near.length ? ` (in ${area}: ${near.join(', ')})` : '';
}

/** A scenario for humans: metadata, the program as Python (or its YAML), each expectation rendered item by item. */
export function describeScenario(s: Scenario, file: string | undefined, python?: string): string {
  const lines = [`${s.id}: ${s.title}`];
  if (file) lines.push(`  file:       ${file}`);
  lines.push(`  python:     ${s.python}`, `  strictness: ${s.strictness}`);
  if (s.covers?.length) lines.push(`  covers:     ${s.covers.join(', ')}`);
  if (s.tags?.length) lines.push(`  tags:       ${s.tags.join(', ')}`);
  if (s.requires?.length) lines.push(`  requires:   ${s.requires.join(', ')}`);
  if (s.description) lines.push('', ...s.description.trim().split('\n').map((l) => `  ${l}`));
  lines.push('', 'Program:');
  let source: string | undefined;
  try {
    source = pythonCompiler()(s);
  } catch {
    source = undefined;
  }
  if (source === undefined && file) {
    const text = fs.readFileSync(path.resolve(ROOT, file), 'utf8');
    const m = /^program:\n([\s\S]*?)(?=^\S)/m.exec(text);
    source = m ? m[1] : text;
  }
  lines.push(...(source ?? '(unavailable)').trimEnd().split('\n').map((l) => `  ${l}`));
  const variants = Array.isArray(s.expect) ? s.expect : [{ ...s.expect, python: s.python }];
  for (const v of variants) {
    lines.push('', `Expected (Python ${v.python}${v.logs ? ', logs compared' : ''}):`);
    for (const item of v.trace ?? []) lines.push(`  ${renderItem(item)}`);
    if (!v.trace) lines.push('  (trace not checked)');
    if (v.outcome) lines.push(`  outcome: ${renderOutcomeExpectation(v.outcome)}`);
    for (const [name, st] of Object.entries(v.tasks ?? {})) lines.push(`  task ${name}: ${typeof st === 'string' ? st : JSON.stringify(st)}`);
  }
  return lines.join('\n') + '\n';
}

async function delegate(name: string, args: string[]): Promise<number> {
  const d = DELEGATED[name];
  let mod: Record<string, unknown>;
  try {
    mod = requireConformance(d.module, `aiospec ${name}`);
  } catch (e) {
    if (e instanceof MissingModuleError) {
      process.stderr.write(`aiospec ${name}: not available in this build (${d.module}.ts is not there yet). It will: ${d.summary}.\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  const fn = (mod[d.fn] ?? mod.main) as ((argv: string[]) => Promise<number> | number) | undefined;
  if (typeof fn !== 'function') {
    process.stderr.write(`aiospec ${name}: conformance/${d.module} exports no ${d.fn}(argv)\n`);
    return EXIT_USAGE;
  }
  return fn(args);
}
