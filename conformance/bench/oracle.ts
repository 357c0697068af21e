/**
 * Oracle throughput (a script, not a test): scenarios per second that each
 * interpreter sustains through the process protocol — native CPython with a
 * fresh forked child per scenario, Pyodide after its start-up. Target: 100/s
 * or more per interpreter.
 *
 *   node dist/conformance/bench/oracle.js [--python 3.11,3.12] [--seconds N]
 */
import { loadCorpus } from '../runner/corpus';
import { availablePythons, cpythonAdapter, type Interpreter } from '../oracle/interpreters';
import { matches } from '../language/versions';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seconds = Number(arg('seconds') ?? 3);

async function bench(interp: Interpreter, all: ReturnType<typeof loadCorpus>['scenarios']): Promise<void> {
  const adapter = cpythonAdapter(interp, 20_000);
  const t0 = Date.now();
  const hello = await adapter.start();
  const startup = Date.now() - t0;
  const caps = new Set(hello.capabilities);
  const scenarios = all.filter((s) => matches(s.python, interp.version) && (s.requires ?? []).every((c) => caps.has(c)));
  for (const s of scenarios.slice(0, 10)) await adapter.run(s, interp.version); // warm-up
  let runs = 0;
  const start = Date.now();
  while (Date.now() - start < seconds * 1000) {
    for (const s of scenarios) {
      await adapter.run(s, interp.version);
      runs++;
      if (Date.now() - start >= seconds * 1000) break;
    }
  }
  const rate = runs / ((Date.now() - start) / 1000);
  await adapter.close();
  console.log(`${(interp.kind ?? 'cpython').padEnd(8)} ${interp.full.padEnd(8)} start ${String(startup).padStart(5)} ms  ` +
    `${rate.toFixed(0).padStart(4)} scenarios/s over ${runs} runs  ${rate >= 100 ? 'OK' : 'BELOW TARGET 100/s'}`);
}

async function main(): Promise<void> {
  const corpus = loadCorpus();
  const wanted = arg('python')?.split(',');
  const pythons = (await availablePythons()).filter((p) => !wanted || wanted.includes(p.version));
  console.log(`oracle throughput: ${corpus.scenarios.length} scenarios, ${seconds} s per interpreter, one interpreter at a time`);
  for (const p of pythons) await bench(p, corpus.scenarios);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
