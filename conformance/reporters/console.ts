/**
 * The console reporter: a progress bar while running (on a terminal only),
 * then every failed, errored or unexpectedly passing scenario with its first
 * divergence, then the summary. Colour only on a terminal (and never with
 * NO_COLOR set).
 */
import { SingleBar } from 'cli-progress';
import { diffArrays } from 'diff';
import { BAD_STATUSES, type Report, type ScenarioReport, type Status } from '../runner/types';

export interface ConsoleOptions {
  /** Where to write; default process.stdout (the CLI uses stderr with --json). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  color?: boolean;
  progress?: boolean;
  /** Also list passing scenarios. */
  verbose?: boolean;
}

type Paint = (s: string) => string;
interface Palette { red: Paint; green: Paint; yellow: Paint; dim: Paint; bold: Paint; cyan: Paint }

function palette(on: boolean): Palette {
  const wrap = (open: number, close: number): Paint => (on ? (s) => `\x1b[${open}m${s}\x1b[${close}m` : (s) => s);
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

function wantsColor(stream: { isTTY?: boolean }): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return !!stream.isTTY;
}

const MARK: Record<Status, string> = {
  'passed': 'PASS', 'failed': 'FAIL', 'errored': 'ERROR', 'unsupported': 'UNSUPPORTED',
  'not-applicable': 'N/A', 'expected-failure': 'XFAIL', 'unexpected-pass': 'XPASS',
};

function paintStatus(p: Palette, status: Status): string {
  const m = MARK[status];
  if (status === 'passed' || status === 'expected-failure') return p.green(m);
  if (BAD_STATUSES.has(status)) return p.red(m);
  return p.yellow(m);
}

/** A failure explained: id and title, then the divergence and its context, then a diff of the traces when it helps. */
export function formatScenario(r: ScenarioReport, p: Palette = palette(false)): string {
  const lines = [`${paintStatus(p, r.status)} ${p.bold(r.id)} ${p.dim(`[py${r.python}]`)} ${r.title}`];
  if (r.file) lines.push(p.dim(`     ${r.file}`));
  if (r.reason) lines.push(`     ${r.reason}`);
  const d = r.divergence;
  if (d) {
    lines.push(`     ${d.message}`);
    if (d.expected !== undefined) lines.push(`       expected: ${p.green(d.expected)}`);
    if (d.actual !== undefined) lines.push(`       actual:   ${p.red(d.actual)}`);
    if (d.context?.length) {
      lines.push(p.dim('       actual trace around it:'));
      for (const c of d.context) lines.push(`       ${c.startsWith('>') ? p.cyan(c) : p.dim(c)}`);
    }
    const diff = traceDiff(d.expectedTrace, d.actualTrace, p);
    if (diff.length) lines.push(p.dim('       trace diff (- expected, + actual):'), ...diff.map((l) => `       ${l}`));
  }
  return lines.join('\n');
}

/** A line diff of expected vs actual traces; worth showing only when they differ in more than one place. */
export function traceDiff(expected: string[] | undefined, actual: string[] | undefined, p: Palette = palette(false), max = 20): string[] {
  if (!expected || !actual) return [];
  const parts = diffArrays(expected, actual);
  const changes = parts.filter((x) => x.added || x.removed).length;
  if (changes <= 2 && expected.length + actual.length < 8) return [];
  const out: string[] = [];
  for (const part of parts) {
    for (const v of part.value) out.push(part.added ? p.green(`+ ${v}`) : part.removed ? p.red(`- ${v}`) : p.dim(`  ${v}`));
  }
  return out.length > max ? [...out.slice(0, max), p.dim(`  … ${out.length - max} more line(s)`)] : out;
}

export function formatSummary(report: Report, p: Palette = palette(false)): string {
  const s = report.summary;
  const impl = report.implementation;
  const parts = [
    p.green(`${s.passed} passed`),
    s.failed ? p.red(`${s.failed} failed`) : `${s.failed} failed`,
    s.errored ? p.red(`${s.errored} errored`) : '',
    s.unexpected_pass ? p.red(`${s.unexpected_pass} unexpectedly passed`) : '',
    s.expected_failure ? `${s.expected_failure} expected failures` : '',
    s.unsupported ? p.yellow(`${s.unsupported} unsupported`) : '',
    s.not_applicable ? p.dim(`${s.not_applicable} not applicable`) : '',
  ].filter(Boolean);
  const lines = [`${p.bold(`${impl.name} ${impl.version}`)} as Python ${impl.python}: ${s.total} scenarios, ${parts.join(', ')} (${(s.duration_ms / 1000).toFixed(2)} s)`];
  for (const u of report.expectations?.unmatched ?? []) {
    lines.push(p.yellow(`warning: ${report.expectations!.file}: entry ${JSON.stringify(u.pattern)} matches no scenario (${u.reason})`));
  }
  return lines.join('\n');
}

export function formatReport(report: Report, opts: { color?: boolean; verbose?: boolean } = {}): string {
  const p = palette(!!opts.color);
  const shown = report.scenarios.filter((r) => opts.verbose || BAD_STATUSES.has(r.status));
  return [...shown.map((r) => formatScenario(r, p)), formatSummary(report, p)].join('\n\n') + '\n';
}

export class ConsoleReporter {
  private bar: SingleBar | undefined;
  private readonly stream: NonNullable<ConsoleOptions['stream']>;
  private readonly color: boolean;

  constructor(private readonly opts: ConsoleOptions = {}) {
    this.stream = opts.stream ?? process.stdout;
    this.color = opts.color ?? wantsColor(this.stream);
  }

  onStart(total: number, info: Report['implementation']): void {
    if (!(this.opts.progress ?? this.stream.isTTY) || total === 0) return;
    this.bar = new SingleBar({
      stream: this.stream as NodeJS.WritableStream,
      format: `${info.name} py${info.python} [{bar}] {value}/{total} {id}`,
      hideCursor: true, clearOnComplete: true, noTTYOutput: false,
    });
    this.bar.start(total, 0, { id: '' });
  }

  onResult(r: ScenarioReport, done: number): void {
    this.bar?.update(done, { id: r.id });
  }

  finish(report: Report): void {
    this.bar?.stop();
    this.bar = undefined;
    this.stream.write(formatReport(report, { color: this.color, verbose: this.opts.verbose }));
  }
}
