import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { compileToPython, compileWithLines, fString } from '../compiler';
import { reprFloat, strRepr } from '../../../reference/pyrepr';
import type { Program } from '../../language/ast';
import { loadScenarioFile } from '../../runner/deps';

// The compiler's tests run its output on the real python3 on PATH: parsing
// for every program, and executing (plain asyncio, tiny real sleeps) where the
// expected output follows from Python's semantics alone.

const PYTHON = process.env.AIOSPEC_TEST_PYTHON ?? 'python3';
const REPO = path.resolve(__dirname, '../../../..');

/** YAML → program as the loader gives it: ints are bigints, floats `{float: n}`. */
function program(yamlText: string): Program {
  return floats(parse(yamlText, { intAsBigInt: true })) as Program;
}

function floats(x: unknown): unknown {
  if (typeof x === 'number') return { float: x };
  if (Array.isArray(x)) return x.map(floats);
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, k === 'float' ? v : floats(v)]));
  }
  return x;
}

function python(args: string[], input: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(PYTHON, args, { input, encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertParses(source: string): void {
  const r = python(['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], source);
  expect(r.status, `${r.stderr}\n--- source ---\n${source}`).to.equal(0);
}

/** Runs the compiled module; prints `__aiospec_result__` last when the default module body set it. */
function run(source: string): string {
  const footer = "\nif '__aiospec_result__' in globals():\n    print('result:', repr(__aiospec_result__))\n";
  const r = python(['-'], source + footer);
  expect(r.status, `${r.stderr}\n--- source ---\n${source}`).to.equal(0);
  return r.stdout;
}

function scenarioFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? scenarioFiles(p) : p.endsWith('.yaml') ? [p] : [];
  });
}

describe('compileToPython', () => {
  describe('literals', () => {
    it('renders floats with Python repr rules', () => {
      const cases: [number, string][] = [
        [1, '1.0'], [0.5, '0.5'], [1e-5, '1e-05'], [0.0001, '0.0001'], [1e16, '1e+16'],
        [1e15, '1000000000000000.0'], [123.456, '123.456'], [0.1 + 0.2, '0.30000000000000004'],
        [-2.5, '-2.5'], [-0, '-0.0'], [1.5e-7, '1.5e-07'], [1e100, '1e+100'], [Infinity, 'inf'],
      ];
      for (const [x, repr] of cases) expect(reprFloat(x), String(x)).to.equal(repr);
    });

    it('agrees with CPython repr on a sample of floats', () => {
      const xs = [3.14159, 2 / 3, 1e22, 1e21, 12345678901234567, 5e-324, 1.7976931348623157e308, 0.001, 100.0];
      const out = python(['-c', `print("\\n".join(repr(x) for x in [${xs.map(reprFloat).join(', ')}]))`], '');
      expect(out.stdout.trim().split('\n')).to.deep.equal(xs.map(reprFloat));
    });

    it('writes str literals that CPython reads back and reprs identically', () => {
      const strs = ['hello', "it's", 'a\'b"c', 'back\\slash\nnew\ttab', 'nb\u00a0sp \u2028 \u200b \x85 \x7f', '\ud800 lone'];
      const literals = strs.map(strRepr);
      const out = python(['-c', `for s in [${literals.join(', ')}]: print(repr(s))`], '');
      expect(out.stdout.trim().split('\n')).to.deep.equal(literals);
    });

    it('keeps f-string placeholders as written and picks a quote they do not use', () => {
      expect(fString('Task {name}: {x!r} {y:.2f}')).to.equal("f'Task {name}: {x!r} {y:.2f}'");
      expect(fString("{d['k']} it's")).to.equal('f"{d[\'k\']} it\'s"');
      expect(fString('{{literal}} {$x}')).to.equal("f'{{literal}} {x}'");
    });
  });

  describe('programs', () => {
    it('emits the default module statement after the definitions', () => {
      const src = compileToPython(program(`
coroutines:
  main:
    body:
      - print: hi
`));
      expect(src).to.equal("import asyncio\n\nasync def main():\n    print('hi')\n\n__aiospec_result__ = asyncio.run(main())\n");
    });

    it('keeps functions and coroutines in YAML order and imports only the modules used', () => {
      const src = compileToPython(program(`
coroutines:
  main:
    body:
      - call: [time.sleep, 0.5]
functions:
  cb:
    params: [x, {y: 2}]
    body:
      - print: [$x, $y]
`));
      expect(src).to.match(/^import asyncio\nimport time\n\nasync def main\(\):\n    time\.sleep\(0\.5\)\n\ndef cb\(x, y=2\):/);
      expect(src).not.to.contain('threading');
    });

    it('writes generator-based coroutines with @asyncio.coroutine and yield from', () => {
      const src = compileToPython(program(`
coroutines:
  old:
    generator: true
    body:
      - set: {x: {yield_from: {sleep: 0}}}
      - return: {yield_from: {sleep: 0, result: 3}}
`));
      expect(src).to.contain('@asyncio.coroutine\ndef old():\n    x = yield from asyncio.sleep(0)\n    return (yield from asyncio.sleep(0, result=3))');
      assertParses(src);
    });

    it('maps every statement form onto its Python statement', () => {
      const src = compileToPython(program(`
coroutines:
  main:
    params: [n]
    body:
      - global: [counter]
      - set: {"a, b": [1, 2], c: {tuple: [$a]}}
      - if: {lt: [$a, 1]}
        then: [pass]
        elif: [{if: {eq: [$a, 1]}, then: [{print: one}]}]
        else: [{print: [], sep: "", end: "!"}]
      - for: i
        in: {call: [range, 3]}
        do: [continue]
        else: [{print: done}]
      - while: false
        do: [break]
        else: [pass]
      - try:
          - raise: {call: [ValueError, x]}
            from: null
        except:
          - type: [ValueError, TypeError]
            as: e
            do: [raise]
          - type: asyncio.CancelledError
            do: [{raise: {call: [RuntimeError]}, from: $e}]
          - do: [return]
        else: [pass]
        finally: [{del: [a, b]}]
      - async_with: {timeout: 1}
        as: cm
        do: [{return: null}]
      - async_for: x
        in: $agen
        do: [pass]
`));
      assertParses(src);
      for (const line of [
        '    global counter',
        '    a, b = [1, 2]',
        '    c = (a,)',
        '    if a < 1:\n        pass\n    elif a == 1:\n        print(\'one\')\n    else:\n        print(sep=\'\', end=\'!\')',
        '    for i in range(3):\n        continue\n    else:\n        print(\'done\')',
        '    while False:\n        break\n    else:\n        pass',
        "        raise ValueError('x') from None",
        '    except (ValueError, TypeError) as e:\n        raise',
        '    except asyncio.CancelledError:\n        raise RuntimeError() from e',
        '    except:\n        return',
        '    finally:\n        del a, b',
        '    async with asyncio.timeout(1) as cm:\n        return None',
        '    async for x in agen:\n        pass',
      ]) expect(src).to.contain(line);
    });

    it('maps expression forms and parenthesizes by precedence', () => {
      const p = program(`
coroutines:
  main:
    body:
      - print:
          - {type_name: null}
      - set:
          a: {mul: [{add: [1, 2]}, 3]}
          b: {sub: [1, {sub: [2, 3]}]}
          c: {pow: [{neg: 2}, 2]}
          d: {neg: {neg: 1}}
          e: {not: {and: [true, {or: [false, true]}]}}
          f: {lt: [{lt: [1, 2]}, 3]}
          g: {add: [{await: $t}, 1]}
          h: {attr: [{await: $t}, args]}
          i: {if_else: [$c, 1, {if_else: [$d, 2, 3]}]}
          j: {comp: {mul: [$x, 2]}, for: x, in: [1, 2], if: {gt: [$x, 1]}}
          k: {call: [type_name, $e]}
          l: {call: [$task.cancel, hi]}
          m: {gather: [{star: $coros}], return_exceptions: true}
          n: {dict: [[a, 1], [{name: asyncio.FIRST_COMPLETED}, {float: 1.0}]]}
          o: {slice: [$xs, 1, null]}
          p: {item: [$xs, {neg: 1}]}
          q: {is_not: [$x, null]}
          r: {not_in: [1, {tuple: []}]}
          s: {call: [sorted, {comp: {call: [$t.get_name]}, for: t, in: $done}]}
          t: {wait: [$ts], timeout: 1.5, return_when: {name: asyncio.FIRST_COMPLETED}}
          u: {wait_for: [$x], timeout: 1}
          v: {timeout: 5}
          w: {call: [concurrent.futures.Future]}
          x: {call: [contextvars.ContextVar, v], kwargs: {default: 0}}
          y: {str: "$not_a_var"}
          z: {f: "{a}"}
          za: {call: [$loop.call_soon, $fut.set_result, $e.args]}
`);
      delete (p.coroutines!.main.body[0] as { print: unknown }).print;
      (p.coroutines!.main.body[0] as { print: unknown }).print = [];
      const src = compileToPython(p);
      assertParses(src);
      for (const line of [
        'a = (1 + 2) * 3',
        'b = 1 - (2 - 3)',
        'c = (-2) ** 2',
        'd = -(-1)',
        'e = not (True and (False or True))',
        'f = (1 < 2) < 3',
        'g = (await t) + 1',
        'h = (await t).args',
        'i = 1 if c else (2 if d else 3)',
        'j = [x * 2 for x in [1, 2] if x > 1]',
        'k = type(e).__name__',
        "l = task.cancel('hi')",
        'm = asyncio.gather(*coros, return_exceptions=True)',
        "n = {'a': 1, asyncio.FIRST_COMPLETED: 1.0}",
        'o = xs[1:]',
        'p = xs[-1]',
        'q = x is not None',
        'r = 1 not in ()',
        's = sorted([t.get_name() for t in done])',
        't = asyncio.wait(ts, timeout=1.5, return_when=asyncio.FIRST_COMPLETED)',
        'u = asyncio.wait_for(x, timeout=1)',
        'v = asyncio.timeout(5)',
        'w = concurrent.futures.Future()',
        "x = contextvars.ContextVar('v', default=0)",
        "y = '$not_a_var'",
        "z = f'{a}'",
        'za = loop.call_soon(fut.set_result, e.args)',
      ]) expect(src).to.contain(`    ${line}\n`);
      expect(src).to.match(/^import asyncio\nimport concurrent\.futures\nimport contextvars\n\n/);
    });
  });

  describe('running the compiled code on CPython', () => {
    it('runs the say_after example concurrently and in order', () => {
      const out = run(compileToPython(program(`
coroutines:
  say_after:
    params: [delay, what]
    body:
      - await: {sleep: $delay}
      - print: $what
  main:
    body:
      - set:
          task1: {create_task: {call: [say_after, 0.02, hello]}}
          task2: {create_task: {call: [say_after, 0.04, world]}}
      - print: started
      - await: $task1
      - await: $task2
      - return: {tuple: [1, "x"]}
`)));
      expect(out).to.equal("started\nhello\nworld\nresult: (1, 'x')\n");
    });

    it('evaluates arithmetic, comparisons, comprehensions and f-strings as Python does', () => {
      const out = run(compileToPython(program(`
coroutines:
  main:
    body:
      - print: [{pow: [{neg: 2}, 2]}, {neg: {pow: [2, 2]}}, {floordiv: [7, 2]}, {div: [7, 2]}, {mod: [-7, 3]}]
      - print: {comp: {f: "{x!r}:{x}"}, for: x, in: [a, 1]}
      - print: [{float: 1.0}, {float: 0.00001}, 1.5]
        sep: "|"
        end: "<\\n"
      - set: {"a, b": {tuple: [1, 2]}}
      - print: {if_else: [{and: [{lt: [$a, $b]}, {not: false}]}, yes, no]}
      - return: {call: [type_name, {dict: [[1, 2]]}]}
`)));
      expect(out).to.equal("4 -4 3 3.5 2\n[\"'a':a\", '1:1']\n1.0|1e-05|1.5<\nyes\nresult: 'dict'\n");
    });

    it('catches, re-raises and chains exceptions as Python does', () => {
      const out = run(compileToPython(program(`
coroutines:
  fails:
    body:
      - await: {sleep: 0}
      - raise: {call: [ValueError, boom]}
  main:
    body:
      - try:
          - await: {call: [fails]}
        except:
          - type: [KeyError, ValueError]
            as: e
            do:
              - print: [{call: [type_name, $e]}, {attr: [$e, args]}]
              - try:
                  - raise: {call: [RuntimeError, wrapped]}
                    from: $e
                except:
                  - type: RuntimeError
                    as: r
                    do: [{print: {is: [{attr: [$r, __cause__]}, $e]}}]
        else: [{print: no error}]
        finally: [{print: finally}]
      - set: {n: 0}
      - while: {lt: [$n, 3]}
        do: [{set: {n: {add: [$n, 1]}}}]
        else: [{print: {f: "n={n}"}}]
      - set: {res: {await: {gather: [{call: [fails]}, {sleep: 0, result: 7}], return_exceptions: true}}}
      - print: {comp: {call: [type_name, $r]}, for: r, in: $res}
`)));
      expect(out).to.equal("ValueError ('boom',)\nTrue\nfinally\nn=3\n['ValueError', 'int']\nresult: None\n");
    });

    it('runs a module body with threads and contextvars', () => {
      const out = run(compileToPython(program(`
functions:
  work:
    params: [x]
    body:
      - call: [time.sleep, 0.01]
      - print: {f: "work {x}"}
coroutines:
  main:
    body:
      - call: [$var.set, 5]
      - set: {th: {call: [threading.Thread], kwargs: {target: $work, args: {tuple: [1]}}}}
      - call: [$th.start]
      - call: [$th.join]
      - return: {await: {to_thread: [$work, 2]}}
module:
  - set: {var: {call: [contextvars.ContextVar, v], kwargs: {default: 0}}}
  - print: {run: {call: [main]}}
  - print: {call: [$var.get]}
`)));
      expect(out).to.equal('work 1\nwork 2\nNone\n0\n');
    });
  });

  describe('the scenario corpus', () => {
    const files = scenarioFiles(path.join(REPO, 'conformance/scenarios'));
    it('compiles every scenario to a module Python can parse', function () {
      if (files.length === 0) this.skip();
      // Files the loader refuses are the loader tests' business.
      const scenarios = files.flatMap((file) => loadScenarioFile(file).scenarios);
      const sources = scenarios.map((scenario) => compileToPython(scenario));
      sources.forEach((src, k) => expect(src).to.contain(`# aiospec scenario ${scenarios[k].id}`));
      // One interpreter parses them all: a process per scenario is too slow for a corpus.
      const check = 'import ast,json,sys\nfor i, s in enumerate(json.load(sys.stdin)):\n    try: ast.parse(s)\n    except SyntaxError as e: print(i, e)';
      const r = python(['-c', check], JSON.stringify(sources));
      const bad = r.stdout.trim().split('\n').filter(Boolean).map((line) => {
        const k = Number(line.split(' ')[0]);
        return `${scenarios[k].id}: ${line}\n${sources[k]}`;
      });
      expect(r.status, r.stderr).to.equal(0);
      expect(bad).to.deep.equal([]);
    });

    it('locates every statement and function where Python puts it, without changing a byte', function () {
      if (files.length === 0) this.skip();
      const scenarios = files.flatMap((file) => loadScenarioFile(file).scenarios);
      const found = scenarios.map((scenario) => {
        const { source, lines } = compileWithLines(scenario);
        expect(source).to.equal(compileToPython(scenario));
        // From the program alone, counting the scenario's header line: the same lines.
        expect(compileWithLines(scenario.program).lines).to.deep.equal(lines);
        const steps: number[] = [];
        for (const [block, at] of lines.blocks) {
          expect(at.length).to.equal(block.length);
          steps.push(...at);
        }
        steps.push(...lines.elifs.values(), ...lines.excepts.values());
        const functions: Record<string, number> = {};
        for (const section of ['functions', 'coroutines'] as const) {
          for (const [name, def] of Object.entries(scenario.program[section] ?? {})) functions[name] = lines.functions.get(def)!;
        }
        return { source, steps, functions };
      });
      // Python's own view: statement and except-handler lines, and co_firstlineno of each function.
      const check = [
        'import ast,json,sys',
        'for i, x in enumerate(json.load(sys.stdin)):',
        '    code = compile(x["source"], "<scenario>", "exec")',
        '    tree = ast.parse(x["source"])',
        '    starts = {n.lineno for n in ast.walk(tree) if isinstance(n, (ast.stmt, ast.ExceptHandler))}',
        '    bad = sorted(set(x["steps"]) - starts)',
        '    if bad: print(i, "not a statement line:", bad)',
        '    firsts = {c.co_name: c.co_firstlineno for c in code.co_consts if hasattr(c, "co_firstlineno")}',
        '    for name, line in x["functions"].items():',
        '        if firsts.get(name) != line: print(i, name, "co_firstlineno", firsts.get(name), "not", line)',
      ].join('\n');
      const r = python(['-c', check], JSON.stringify(found));
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout.trim().split('\n').filter(Boolean).map((line) => `${scenarios[Number(line.split(' ')[0])].id}: ${line}`)).to.deep.equal([]);
    });
  });

  describe('compileWithLines', () => {
    it('gives the line of each step, clause and function of the compiled module', () => {
      const p = program(`
coroutines:
  main:
    body:
      - set: {a: 1, b: 2}
      - try:
          - if: $a
            then: [pass]
            elif:
              - if: $b
                then:
                  - await: {sleep: 0}
        except:
          - type: ValueError
            do: [raise]
      - return: $a
`);
      const { source, lines } = compileWithLines({ id: 'x', title: 'lines', program: p } as never);
      expect(source.split('\n').slice(0, 15)).to.deep.equal([
        '# aiospec scenario x: lines',
        'import asyncio',
        '',
        'async def main():',
        '    a = 1',
        '    b = 2',
        '    try:',
        '        if a:',
        '            pass',
        '        elif b:',
        '            await asyncio.sleep(0)',
        '    except ValueError:',
        '        raise',
        '    return a',
        '',
      ]);
      const main = p.coroutines!.main;
      const body = main.body as Record<string, any>[];
      expect(lines.functions.get(main)).to.equal(4);
      expect(lines.blocks.get(main.body)).to.deep.equal([5, 7, 14]);
      expect(lines.blocks.get(body[1].try)).to.deep.equal([8]);
      expect(lines.elifs.get(body[1].try[0].elif[0])).to.equal(10);
      expect(lines.blocks.get(body[1].try[0].elif[0].then)).to.deep.equal([11]);
      expect(lines.excepts.get(body[1].except[0])).to.equal(12);
      expect(lines.blocks.get(body[1].except[0].do)).to.deep.equal([13]);
      // Without the scenario, a header line is still counted unless told otherwise.
      expect(compileWithLines(p).lines.functions.get(main)).to.equal(4);
      expect(compileWithLines(p, { scenarioHeader: false }).lines.functions.get(main)).to.equal(3);
    });
  });
});
