/**
 * The docs page's examples (reference/examples/) behave as CPython does:
 * each example's printed `[loop.time(), text]` lines equal the print items
 * of the matching scenario's expectation for the profile, the behaviour
 * blessed from real CPython 3.7-3.14. Expected lines come from the scenario
 * files only; warning items are ignored (the examples do not reproduce the
 * dropped-coroutine warning, see reference/examples/nested.ts).
 */
import { expect } from 'chai';
import * as path from 'path';
import { loadScenarioFile } from '../../conformance/language/loader';
import { selectExpectation } from '../../conformance/runner/compare';
import { ROOT } from '../../conformance/runner/deps';
import { matches } from '../../conformance/language/versions';
import type { PrintItem, Scenario, TraceItem } from '../../conformance/language/ast';
import { Example, parseLine, Stamped } from '../examples/trace';

import { main as helloWorld } from '../examples/hello-world';
import { main as sayAfterSequential } from '../examples/say-after-sequential';
import { main as sayAfterConcurrent } from '../examples/say-after-concurrent';
import { main as nested } from '../examples/nested';
import { main as displayDate } from '../examples/display-date';
import { main as gatherFactorial } from '../examples/gather-factorial';
import { main as waitForEternity } from '../examples/wait-for-eternity';
import { main as asCompleted } from '../examples/as-completed';
import { main as toThreadBlockingIo } from '../examples/to-thread-blocking-io';
import { main as cancelMe } from '../examples/cancel-me';

const SCENARIOS = path.join(ROOT, 'conformance', 'scenarios');

/** Each example and its scenario file (relative to conformance/scenarios/). */
const EXAMPLES: ReadonlyArray<readonly [string, Example, string]> = [
  ['hello-world', helloWorld, 'coroutines/hello-world.yaml'],
  ['say-after-sequential', sayAfterSequential, 'coroutines/say-after-sequential.yaml'],
  ['say-after-concurrent', sayAfterConcurrent, 'tasks/say-after-concurrent.yaml'],
  ['nested', nested, 'coroutines/nested-not-awaited.yaml'],
  ['display-date', displayDate, 'sleep/display-date.yaml'],
  ['gather-factorial', gatherFactorial, 'gather/factorial.yaml'],
  ['wait-for-eternity', waitForEternity, 'wait-for/eternity.yaml'],
  ['as-completed', asCompleted, 'as-completed/earliest-first.yaml'],
  ['to-thread-blocking-io', toThreadBlockingIo, 'to-thread/blocking-io.yaml'],
  ['cancel-me', cancelMe, 'cancellation/cancel-me.yaml'],
];

/** The default profile (the docs page's edition) and one other in every example's range. */
const PROFILES = ['3.10', '3.12'];

function loadScenario(rel: string): Scenario {
  const result = loadScenarioFile(path.join(SCENARIOS, rel));
  expect(result.errors, `loading ${rel}`).to.deep.equal([]);
  expect(result.scenarios, `${rel} holds one scenario`).to.have.lengthOf(1);
  return result.scenarios[0];
}

/** The print items of an expected trace, in order; warning items dropped. */
function expectedPrints(trace: TraceItem[], id: string): PrintItem[] {
  const prints: PrintItem[] = [];
  for (const item of trace) {
    if (Array.isArray(item)) prints.push(item);
    else if ('warning' in item) continue;
    else throw new Error(`${id}: expected trace item ${JSON.stringify(item)} is neither a print nor a warning`);
  }
  return prints;
}

function run(example: Example, python: string): Stamped[] {
  const lines: string[] = [];
  example((line) => lines.push(line), python);
  return lines.map(parseLine);
}

describe('docs examples (reference/examples) print what CPython prints', () => {
  for (const [name, example, rel] of EXAMPLES) {
    describe(name, () => {
      for (const python of PROFILES) {
        it(`matches ${rel} on Python ${python}`, () => {
          const scenario = loadScenario(rel);
          expect(matches(scenario.python, python), `${scenario.id} covers ${python} (${scenario.python})`).to.equal(true);
          const expectation = selectExpectation(scenario, python);
          expect(expectation, `${scenario.id} has an expectation for ${python}`).to.not.equal(undefined);
          expect(expectation!.trace, `${scenario.id} expects a trace`).to.be.an('array');
          const want = expectedPrints(expectation!.trace!, scenario.id);
          expect(want, `${scenario.id} expects printed lines`).to.not.be.empty;
          expect(run(example, python)).to.deep.equal(want);
        });
      }
    });
  }

  it('runs on a fresh runtime each call (the virtual clock starts at 0 again)', () => {
    expect(run(helloWorld, '3.10')).to.deep.equal(run(helloWorld, '3.10'));
  });
});
