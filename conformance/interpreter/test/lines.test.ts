/**
 * Line numbers in frames: the interpreter reports each coroutine's current
 * line of the compiled program (Session.setLine) and each function's code
 * location, so the reference runtime shows what CPython shows for the
 * compiled scenario. Expected values were measured on CPython 3.11 running
 * compileToPython(scenario) as `<scenario>`.
 */
import { expect } from 'chai';
import type { TraceEvent } from '../../results';
import type { ProgramFunction, Session } from '../../adapters/adapter';
import { referenceAdapter } from '../../adapters/reference';
import { compileToPython } from '../../python/compiler';
import { runProgram } from '../interpreter';
import { program } from './helpers';

async function printed(yaml: string, python = '3.11'): Promise<string[]> {
  const events: TraceEvent[] = [];
  const sink = { emit: (e: TraceEvent) => events.push(e) };
  const session = referenceAdapter.open(python, sink);
  const outcome = await runProgram(program(yaml), session, sink, { python });
  expect(outcome).to.deep.equal({ kind: 'returned', repr: 'None' });
  return events.filter((e) => e.kind === 'print').map((e) => (e as { text: string }).text);
}

const NESTED = `
coroutines:
  level2:
    params: [n]
    body:
      - set: {x: 1}
      - if: {gt: [$n, 5]}
        then:
          - pass
        elif:
          - if: {gt: [$n, 0]}
            then:
              - raise: {call: [ValueError, deep]}
      - return: $x
  level1:
    body:
      - try:
          - await: {call: [level2, 1]}
        except:
          - type: KeyError
            do: [pass]
          - type: ValueError
            do:
              - print: handling
              - raise
  looper:
    body:
      - for: i
        in: {call: [range, 3]}
        do:
          - print: $i
          - await: {sleep: 1}
      - set: {a: 1, b: {await: {sleep: 5}}}
  top:
    body:
      - await: {sleep: 0}
      - await: {call: [level1]}
  main:
    body:
      - set: {t: {create_task: {call: [top]}}, l: {create_task: {call: [looper]}}}
      - print: {call: [repr, $l]}
      - await: {sleep: 1.5}
      - print: {call: [repr, $l]}
      - set: {frames: {call: [$t.get_stack]}}
      - print: {comp: {tuple: [{attr: [{attr: [$f, f_code]}, co_name]}, {attr: [$f, f_lineno]}]}, for: f, in: $frames}
      - await: {sleep: 2}
      - print: {call: [repr, $l]}
      - print: {comp: {attr: [$f, f_lineno]}, for: f, in: {call: [$l.get_stack]}}
      - call: [$t.exception]
      - call: [$l.cancel]
`;

describe('line numbers of coroutine frames (reference adapter)', () => {
  it('shows the def line before the first step, then the line each coroutine is suspended or failed at', async () => {
    expect(await printed(NESTED)).to.deep.equal([
      "<Task pending name='Task-3' coro=<looper() running at <scenario>:21>>",
      '0',
      'handling',
      '1',
      "<Task pending name='Task-3' coro=<looper() running at <scenario>:24> wait_for=<Future pending cb=[Task.task_wakeup()]>>",
      "[('top', 30), ('level1', 19), ('level2', 9)]",
      '2',
      "<Task pending name='Task-3' coro=<looper() running at <scenario>:26> wait_for=<Future pending cb=[Task.task_wakeup()]>>",
      '[26]',
    ]);
  });

  it('counts the scenario header line that CPython runs', () => {
    const source = compileToPython({ id: 'x', title: 't', program: program(NESTED) } as never).split('\n');
    expect(source[20]).to.equal('async def looper():');
    expect(source[25]).to.equal('    b = await asyncio.sleep(5)');
  });

  it('puts a frame that an exception left through async with or finally where CPython does', async () => {
    const yaml = `
coroutines:
  guarded:
    params: [cm]
    body:
      - async_with: $cm
        do:
          - await: {sleep: 1}
          - raise: {call: [KeyError, 1]}
  closer:
    body:
      - try:
          - await: {sleep: 1}
          - raise: {call: [ValueError, x]}
        finally:
          - set: {y: 2}
  main:
    body:
      - set: {cm: {call: [asyncio.timeout, 10]}}
      - set: {t: {create_task: {call: [guarded, $cm]}}, c: {create_task: {call: [closer]}}}
      - await: {sleep: 0.5}
      - print: {comp: {attr: [$f, f_lineno]}, for: f, in: {call: [$t.get_stack]}}
      - await: {sleep: 1}
      - print: {comp: {attr: [$f, f_lineno]}, for: f, in: {call: [$t.get_stack]}}
      - print: {comp: {attr: [$f, f_lineno]}, for: f, in: {call: [$c.get_stack]}}
      - call: [$t.exception]
      - call: [$c.exception]
`;
    expect(await printed(yaml)).to.deep.equal(['[6]', '[7]', '[14]']);
  });

  it('gives code locations and lines only to sessions that take lines', async () => {
    const defined: ProgramFunction[] = [];
    const events: TraceEvent[] = [];
    const sink = { emit: (e: TraceEvent) => events.push(e) };
    const inner = referenceAdapter.open('3.11', sink);
    const withoutLines = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'setLine') return undefined;
        if (prop === 'define') return (fn: ProgramFunction) => defined.push(fn);
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as Session;
    await runProgram(program(NESTED), withoutLines, sink, { python: '3.11' });
    expect(defined.map((f) => f.code)).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
    const texts = events.filter((e) => e.kind === 'print').map((e) => (e as { text: string }).text);
    expect(texts[0]).to.contain('looper() running at <unknown>:0');
  });
});
