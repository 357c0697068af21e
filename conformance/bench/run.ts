/**
 * Harness speed (a script, not a test): `node dist/conformance/bench/run.js [--seconds S]`.
 *
 * 1. Scenarios per second on the reference runtime, in-process, one thread,
 *    judged (compare included), over the whole corpus. Target >= 1000/s.
 * 2. Per-scenario overhead of a persistent process adapter: the echo
 *    fixture answers instantly, so wall time per scenario minus the time the
 *    echo spent handling requests (it reports this on exit) is what the
 *    protocol costs: encoding, pipes, parsing, validation. Target <= 1 ms.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Scenario } from '../language/ast';
import { ProcessAdapter } from '../adapters/process';
import { compare, selectExpectation } from '../runner/compare';
import { loadCorpus } from '../runner/corpus';
import { ROOT, interpreter, referenceAdapter } from '../runner/deps';
import { applicability } from '../runner/filter';
import { defaultPython } from '../runner/impls';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

async function benchInProcess(scenarios: Scenario[]): Promise<void> {
  let adapter;
  let interpret;
  try {
    adapter = referenceAdapter();
    interpret = interpreter();
  } catch (err) {
    console.log(`in-process reference: skipped (${(err as Error).message})`);
    return;
  }
  const info = adapter.info();
  const python = defaultPython(info.pythons);
  const runnable = scenarios.filter((s) => applicability(s, python, info.capabilities).applies && selectExpectation(s, python));
  if (!runnable.length) return void console.log('in-process reference: no runnable scenarios');
  let runs = 0;
  let passed = 0;
  const start = now();
  while (now() - start < seconds * 1000) {
    for (const s of runnable) {
      try {
        const result = await interpret(s, adapter, python);
        if (compare(result, selectExpectation(s, python)!).pass) passed++;
      } catch {
        // An erroring scenario still counts as a run: the harness handled it.
      }
      runs++;
    }
  }
  const ms = now() - start;
  const rate = runs / (ms / 1000);
  console.log(`in-process reference (py${python}): ${runnable.length} scenarios x ${Math.round(runs / runnable.length)} rounds, ` +
    `${rate.toFixed(0)} scenarios/s (${(ms / runs).toFixed(3)} ms each, ${passed}/${runs} passed) ${rate >= 1000 ? 'OK' : 'BELOW TARGET 1000/s'}`);
}

async function benchProcess(scenarios: Scenario[]): Promise<void> {
  const stats = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aiospec-bench-')), 'echo-stats.json');
  const adapter = new ProcessAdapter({ command: process.execPath, args: [path.join(ROOT, 'fixtures', 'adapters', 'echo.js'), '--stats-file', stats] });
  await adapter.start();
  for (const s of scenarios.slice(0, 20)) await adapter.run(s, '3.11'); // warm-up, not measured
  await adapter.close();
  const measured = new ProcessAdapter({ command: process.execPath, args: [path.join(ROOT, 'fixtures', 'adapters', 'echo.js'), '--stats-file', stats] });
  await measured.start();
  let runs = 0;
  const start = now();
  while (now() - start < seconds * 1000) {
    for (const s of scenarios) {
      await measured.run(s, '3.11');
      runs++;
    }
  }
  const ms = now() - start;
  await measured.close();
  const self = JSON.parse(fs.readFileSync(stats, 'utf8')) as { requests: number; self_ms: number };
  const perRun = ms / runs;
  const own = self.self_ms / self.requests;
  const overhead = perRun - own;
  console.log(`process adapter (echo fixture): ${runs} scenarios, ${perRun.toFixed(3)} ms each, implementation's own ${own.toFixed(3)} ms, ` +
    `protocol overhead ${overhead.toFixed(3)} ms/scenario ${overhead <= 1 ? 'OK' : 'ABOVE TARGET 1 ms'}`);
}

async function main(): Promise<void> {
  const corpus = loadCorpus();
  console.log(`corpus: ${corpus.scenarios.length} scenarios loaded${corpus.errors.length ? ` (${corpus.errors.length} load errors ignored)` : ''}; ${seconds} s per measurement`);
  if (!corpus.scenarios.length) return;
  await benchInProcess(corpus.scenarios);
  await benchProcess(corpus.scenarios);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
