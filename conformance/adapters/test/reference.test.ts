import { expect } from 'chai';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { TraceEvent, Outcome, TaskReport } from '../../results';
import { runProgram } from '../../interpreter/interpreter';
import { program } from '../../interpreter/test/helpers';
import { referenceAdapter } from '../reference';
import { ProcessAdapter } from '../process';
import { processAdapterOptions } from '../../python/cpython';
import { discoverPythons } from '../../python/discovery';
import type { Program, Scenario } from '../../language/ast';
import type { RunResult } from '../../results';

interface Run {
  events: TraceEvent[];
  outcome: Outcome;
  tasks: TaskReport[];
}

/**
 * CPython is the judge of every expectation in this file: each program also
 * runs on the real interpreter of the same version (when one is installed),
 * and the reference must produce exactly CPython's events and outcome.
 */
const oracles = new Map<string, ProcessAdapter>();
after(async () => {
  for (const a of oracles.values()) await a.close();
});

async function onCPython(prog: Program, python: string): Promise<RunResult | undefined> {
  if (!discoverPythons().some((p) => p.minor === python)) return undefined;
  let oracle = oracles.get(python);
  if (!oracle) oracles.set(python, (oracle = new ProcessAdapter(processAdapterOptions(python))));
  const scenario: Scenario = { id: 'adapter-test.program', title: 'test program', covers: [], python: '>=3.7', strictness: 'documented', program: prog, expect: {} };
  return oracle.run(scenario, python);
}

async function run(yaml: string, python = '3.11'): Promise<Run> {
  const events: TraceEvent[] = [];
  const sink = { emit: (e: TraceEvent) => events.push(e) };
  const session = referenceAdapter.open(python, sink);
  const prog = program(yaml);
  const outcome = await runProgram(prog, session, sink, { python });
  const cpython = await onCPython(prog, python);
  if (cpython) {
    expect(events, `events on the reference vs CPython ${python}`).to.deep.equal(cpython.events);
    expect(outcome, `outcome on the reference vs CPython ${python}`).to.deep.equal(cpython.outcome);
  }
  return { events, outcome, tasks: session.tasks() };
}

const lines = (r: Run) => r.events.map((e) => (e.kind === 'print' ? [e.t, e.text] : [e.t, `${e.kind}:${'category' in e ? e.category : e.level}:${e.message}`]));

describe('reference adapter', () => {
  it('introduces itself as aiospec-reference with the package version and every profile', () => {
    const info = referenceAdapter.info();
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'));
    expect(info.name).to.equal('aiospec-reference');
    expect(info.version).to.equal(pkg.version);
    expect(info.pythons).to.deep.equal(['3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14']);
    expect(info.capabilities).to.include.members(['threads', 'never-awaited-warning', 'task-names']);
  });

  it('runs the docs gather example on the virtual clock and returns results in argument order', async () => {
    const r = await run(`
coroutines:
  value_after:
    params: [delay, value]
    body:
      - await: {sleep: [$delay]}
      - print: {f: "{value} at {delay}"}
      - return: $value
  main:
    body:
      - set: {results: {await: {gather: [{call: [value_after, 3, slow]}, {call: [value_after, 1.5, fast]}]}}}
      - print: $results
      - return: {call: [len, $results]}
`);
    expect(lines(r)).to.deep.equal([[1.5, 'fast at 1.5'], [3, 'slow at 3'], [3, "['slow', 'fast']"]]);
    expect(r.outcome).to.deep.equal({ kind: 'returned', repr: '2' });
  });

  it('stalls the loop for a time.sleep inside a coroutine, as CPython does', async () => {
    const r = await run(`
coroutines:
  ticker:
    body:
      - await: {sleep: 0.5}
      - print: tick
  main:
    body:
      - set: {t: {create_task: {call: [ticker]}}}
      - await: {sleep: 0}
      - call: [time.sleep, 1]
      - print: slept
      - await: $t
`);
    expect(lines(r)).to.deep.equal([[1, 'slept'], [1, 'tick']]);
  });

  it('warns that a dropped coroutine was never awaited', async () => {
    const r = await run(`
coroutines:
  nested:
    body: [{return: 42}]
  main:
    body:
      - call: [nested]
      - print: {await: {call: [nested]}}
`);
    expect(lines(r)).to.deep.equal([[0, "warning:RuntimeWarning:coroutine 'nested' was never awaited"], [0, '42']]);
  });

  it('delivers cancellation to the program as asyncio.CancelledError and reports task states by name', async () => {
    const r = await run(`
coroutines:
  sleeper:
    body:
      - try:
          - await: {sleep: 10}
        except:
          - type: asyncio.CancelledError
            do: [{print: cancelled inside}, raise]
  main:
    body:
      - set: {t: {create_task: {call: [sleeper]}, name: sleeper}}
      - await: {sleep: 1}
      - call: [$t.cancel]
      - try:
          - await: $t
        except:
          - type: asyncio.CancelledError
            as: e
            do: [{print: {f: "main saw {type(e).__name__}"}}]
`);
    expect(r.outcome).to.deep.equal({ kind: 'returned', repr: 'None' });
    expect(lines(r)).to.deep.equal([[1, 'cancelled inside'], [1, 'main saw CancelledError']]);
    expect(r.tasks.find((t) => t.name === 'sleeper')).to.deep.equal({ name: 'sleeper', state: 'cancelled' });
  });

  it('names escaping exception types as INTERPRETING.md does', async () => {
    const r = await run(`
coroutines:
  main:
    body:
      - await: {wait_for: {sleep: 5}, timeout: 1}
`, '3.10');
    expect(r.outcome).to.deep.include({ kind: 'raised', type: 'asyncio.TimeoutError' });
  });

  it('runs a thread on the virtual clock and joins it from the loop', async () => {
    const r = await run(`
functions:
  work:
    params: [n]
    body:
      - call: [time.sleep, $n]
      - print: {f: "worker slept {n}"}
coroutines:
  main:
    body:
      - set: {t: {call: [threading.Thread], kwargs: {target: $work, args: {tuple: [2]}}}}
      - call: [$t.start]
      - await: {sleep: 1}
      - print: main awake
      - call: [$t.join]
      - print: joined
      - print: {await: {to_thread: [$work, 0.5]}}
`);
    expect(lines(r)).to.deep.equal([[1, 'main awake'], [2, 'worker slept 2'], [2, 'joined'], [2.5, 'worker slept 0.5'], [2.5, 'None']]);
  });

  it('passes program functions to loop callbacks and done callbacks', async () => {
    const r = await run(`
functions:
  hello:
    params: [who]
    body: [{print: {f: "hello {who} at {loop_time()}"}}]
  loop_time:
    body:
      - set: {loop: {get_running_loop: []}}
      - return: {call: [$loop.time]}
  done:
    params: [fut]
    body: [{print: {f: "done with {fut.result()!r}"}}]
coroutines:
  main:
    body:
      - set: {loop: {get_running_loop: []}}
      - call: [$loop.call_later, 1, $hello, world]
      - set: {fut: {call: [$loop.create_future]}}
      - call: [$fut.add_done_callback, $done]
      - call: [$loop.call_soon, $fut.set_result, [1, 2]]
      - print: {await: $fut}
      - await: {sleep: 2}
`);
    // The done callback was registered before main's wakeup, so it runs first (as on CPython).
    expect(lines(r)).to.deep.equal([[0, 'done with [1, 2]'], [0, '[1, 2]'], [1, 'hello world at 1.0']]);
  });

  it('reports a program that can never progress as a deadlock', async () => {
    const r = await run(`
module:
  - set: {f: {call: [concurrent.futures.Future]}}
  - call: [$f.result]
`);
    expect(r.outcome).to.deep.equal({ kind: 'deadlock' });
  });
});
