import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  MAX_FILE_BYTES, ScenarioLoadError, formatError, loadScenarioFile, loadScenarioFileOrThrow, loadScenarioText, sourceMapOf,
} from '../loader';
import { validateScenarioData } from '../schema';
import { scenario, src } from './helpers';

/** The errors of `text` as `line:col: message` (file and id left out). */
function errorsOf(text: string): string[] {
  return loadScenarioText(text, 'x.yaml').errors.map((e) => `${e.line}:${e.column}: ${e.message}`);
}

function mainBody(text: string): unknown[] {
  const { scenarios, errors } = loadScenarioText(text, 'x.yaml');
  expect(errors.map(formatError)).to.deep.equal([]);
  return scenarios[0].program.coroutines!.main.body as unknown[];
}

describe('loader', () => {
  before(function () {
    this.timeout(20000); // compiling the schema takes about a second
    validateScenarioData({});
  });

  describe('a valid file', () => {
    it('loads one scenario per YAML document', () => {
      const text = `${scenario('- pass', { id: 'test.one' })}---\n${scenario('- pass', { id: 'test.two' })}`;
      const { scenarios, errors } = loadScenarioText(text, 'x.yaml');
      expect(errors).to.deep.equal([]);
      expect(scenarios.map((s) => s.id)).to.deep.equal(['test.one', 'test.two']);
    });

    it('skips documents that hold only comments', () => {
      const { scenarios, errors } = loadScenarioText(`# header\n---\n${scenario('- pass')}---\n# trailer\n`, 'x.yaml');
      expect(errors).to.deep.equal([]);
      expect(scenarios).to.have.length(1);
    });

    it('turns program integers into bigints and program floats into {float: n}', () => {
      const body = mainBody(scenario('- set: {a: 1, b: 1.0, c: 1e-05, d: .inf, e: [2, 2.5], f: {float: 3}}'));
      expect(body).to.deep.equal([{ set: { a: 1n, b: { float: 1 }, c: { float: 1e-5 }, d: { float: Infinity }, e: [2n, { float: 2.5 }], f: { float: 3 } } }]);
    });

    it('keeps names that look like operators as names in set, kwargs and parameter defaults', () => {
      const text = scenario('- set: {float: 1}\n- call: [f, 2.0]\n  kwargs: {float: 3}', {
        head: '',
      }).replace('  coroutines:\n', '  functions:\n    f:\n      params: [x, {float: 1}]\n      body: [pass]\n  coroutines:\n');
      const { scenarios, errors } = loadScenarioText(text, 'x.yaml');
      expect(errors.map(formatError)).to.deep.equal([]);
      const program = scenarios[0].program;
      expect(program.functions!.f.params).to.deep.equal(['x', { float: 1n }]);
      expect(program.coroutines!.main.body).to.deep.equal([
        { set: { float: 1n } },
        { call: ['f', { float: 2 }], kwargs: { float: 3n } },
      ]);
    });

    it('leaves numbers outside the program as JavaScript numbers', () => {
      const text = scenario('- pass', { expect: 'expect:\n  trace:\n    - [1, a]\n    - {at: 2.5, warning: DeprecationWarning}\n' });
      const { scenarios } = loadScenarioText(text, 'x.yaml');
      expect(scenarios[0].expect).to.deep.equal({ trace: [[1, 'a'], { at: 2.5, warning: 'DeprecationWarning' }] });
    });

    it('accepts a single star argument as the whole argument list', () => {
      expect(mainBody(scenario('- await: {gather: {star: $tasks}}'))).to.deep.equal([{ await: { gather: { star: '$tasks' } } }]);
    });

    it('reads operators that are also options of another operator as that option', () => {
      const body = mainBody(scenario('- set: {t: {create_task: {call: [main]}, name: t1}}\n- await: {wait_for: $t, timeout: 1}\n- set: {x: {comp: $y, for: y, in: [1], if: true}}\n- async_with: {timeout: 2}\n  do: [pass]'));
      expect(body[0]).to.deep.equal({ set: { t: { create_task: { call: ['main'] }, name: 't1' } } });
      expect(body).to.have.length(4);
    });

    it('keeps the position of every value aside, in a source map', () => {
      const { scenarios } = loadScenarioText(scenario('- print: hello\n- await: {sleep: 1}'), 'x.yaml');
      const map = sourceMapOf(scenarios[0])!;
      expect(map.position('/id')).to.deep.equal({ line: 1, column: 5 });
      expect(map.position(['program', 'coroutines', 'main', 'body', 1, 'await', 'sleep'])).to.deep.equal({ line: 11, column: 26 });
      expect(map.position('/program/coroutines/main', { key: true })).to.deep.equal({ line: 8, column: 5 });
      expect(map.position('/program/no/such/path')).to.deep.equal({ line: 7, column: 3 });
      expect(Object.keys(scenarios[0])).to.not.include('sourceMap');
    });
  });

  describe('errors', () => {
    it('are formatted as file:line:col: [id] message', () => {
      expect(formatError({ file: 'a.yaml', line: 3, column: 7, id: 'gather.x', message: 'bad' })).to.equal('a.yaml:3:7: [gather.x] bad');
      expect(formatError({ file: 'a.yaml', line: 1, column: 1, message: 'bad' })).to.equal('a.yaml:1:1: bad');
    });

    it('name the scenario id when the document has one', () => {
      const [e] = loadScenarioText(scenario('- brake', { id: 'test.named' }), 'f.yaml').errors;
      expect(e).to.deep.include({ file: 'f.yaml', id: 'test.named', line: 10, column: 11 });
    });

    it('refuse a file over the size limit without parsing it', () => {
      const big = `${scenario('- pass')}# ${'x'.repeat(MAX_FILE_BYTES)}\n`;
      expect(errorsOf(big)).to.deep.equal([`1:1: the file is 1.0 MiB (${Buffer.byteLength(big)} bytes); scenario files are limited to 1.0 MiB`]);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aiospec-')), 'big.yaml');
      fs.writeFileSync(file, big);
      expect(loadScenarioFile(file).errors[0].message).to.match(/^the file is 1\.0 MiB/);
    });

    it('report an unreadable file', () => {
      expect(loadScenarioFile('/no/such/file.yaml').errors[0].message).to.match(/^cannot read the file: ENOENT/);
    });

    it('report a file with no scenario', () => {
      expect(errorsOf('# nothing here\n')).to.deep.equal(['1:1: the file holds no scenario']);
    });

    it('load the other documents of a file when one is bad', () => {
      const text = `${scenario('- brake', { id: 'test.bad' })}---\n${scenario('- pass', { id: 'test.good' })}`;
      const { scenarios, errors } = loadScenarioText(text, 'x.yaml');
      expect(scenarios.map((s) => s.id)).to.deep.equal(['test.good']);
      expect(errors.map(formatError)).to.deep.equal(['x.yaml:10:11: [test.bad] unknown step `brake` (did you mean `break`?); a bare word step must be one of pass, break, continue, return, raise']);
    });

    it('are thrown all together by loadScenarioFileOrThrow', () => {
      expect(() => loadScenarioFileOrThrow(src('fixtures/malformed/unknown-step.yaml'))).to.throw(ScenarioLoadError, 'unknown statement or expression `awiat`');
    });
  });

  describe('the schema errors, in plain words', () => {
    const cases: [string, string, string[]][] = [
      ['an unknown option of an asyncio function', '- await: {wait_for: $x, timeot: 1}', ['10:33: unknown option `timeot` for `wait_for`; allowed: timeout, loop']],
      ['an option given to an operator without options', '- await: {to_thread: [$f], loop: $l}', ['10:36: unknown option `loop` for `to_thread`; `to_thread` takes no options']],
      ['an unknown expression', '- await: {slep: 1}', ['10:18: unknown expression `slep` (did you mean `sleep`?)']],
      ['an option without its operator', '- set: {x: {return_when: $w}}', ['10:20: `return_when` is an option of `wait`, but the mapping has no operator key']],
      ['an operator that is also an option, alone', '- set: {x: {timeout: 1, return_when: $w}}', ['10:33: unknown option `return_when` for `timeout`; `timeout` takes no options']],
      ['two operators in one mapping', '- await: {sleep: 1, gather: []}', ['10:18: one mapping holds two operators, `sleep`, `gather`; an expression or statement has exactly one (nest one inside the other)']],
      ['a statement where an expression belongs', '- set: {x: {for: a, in: b, do: [pass]}}', ['10:20: `for` is a statement and cannot be used as an expression']],
      ['an unknown key of a statement', '- for: x\n  in: [1]\n  do: [pass]\n  then: [pass]', ['13:11: unknown key `then` in `for` statement; allowed: for, in, do, else']],
      ['a try without except or finally', '- try: [pass]', ['10:11: `try` needs an `except` or a `finally` clause']],
      ['an else without except', '- try: [pass]\n  finally: [pass]\n  else: [pass]', ['10:11: `else` in a `try` statement needs an `except` clause']],
      ['an empty body', '- if: true\n  then: []', ['11:17: `then` must have at least one step (write `pass` for an empty body)']],
      ['a binary operator with one operand', '- set: {x: {add: [1]}}', ['10:26: `add` must have exactly 2 items, found 1']],
      ['a literal string starting with $', '- print: ["$1.50"]', ['10:19: `$1.50` is not a variable name; a literal string starting with `$` is written {str: "$1.50"}']],
      ['a bad assignment target', '- set: {"a b": 1}', ['10:17: `a b` is not an assignment target: a name, or names separated by commas ("a, b")']],
      ['a list as a step', '- [1, 2]', ['10:11: a step must be a statement or expression mapping, or one of the words pass, break, continue, return, raise; found a list']],
      ['a variable alone as a step', '- $x', ['10:11: a variable alone (`$x`) is not a step; a bare word step must be one of pass, break, continue, return, raise']],
      ['a variable with a trailing dot', '- call: [$loop.call_soon, $fut., 1]', ['10:35: `$fut.` is not a variable name; a literal string starting with `$` is written {str: "$fut."}']],
      ['text that YAML read as a mapping', '- print: [in callback:, 1]', ['10:19: unknown expression `in callback`: YAML read `in callback:` as a mapping; quote text that contains `: ` or ends with `:`']],
      ['a star argument outside an argument list', '- set: {x: {star: $y}}', ['10:20: `star` unpacks an argument (`*x`) and is allowed only in the argument list of `call` or an asyncio function']],
    ];
    for (const [what, body, expected] of cases) {
      it(`explain ${what}`, () => {
        expect(errorsOf(scenario(body))).to.deep.equal(expected);
      });
    }

    it('explain a program without main and without module steps', () => {
      expect(errorsOf(scenario('- pass').replace('    main:', '    other:'))).to.deep.equal([
        '8:5: the program has no `module` steps, so it needs a coroutine `main` (the default program is `asyncio.run(main())`)',
      ]);
    });

    it('explain bad expectations', () => {
      const expectation = (e: string) => errorsOf(scenario('- pass', { expect: `expect:\n${e}` }));
      expect(expectation('  trace: [[0, a, b]]\n')).to.deep.equal(['12:11: a printed line is [time, "text"]; found 3 items (quote a text that contains a comma)']);
      expect(expectation('  trace: [{at: 0, warn: X}]\n')).to.deep.equal(['12:11: item 1 of `trace` must be a trace item: [time, "line"], or a mapping with `warning`, `log` or `unordered`; found keys `at`, `warn`']);
      expect(expectation('  trace: [{at: 0, warning: W, message: a, match: b}]\n')).to.deep.equal(['12:11: give `message` or `match`, not both']);
      expect(expectation('  outcome: {returns: "1", raises: ValueError}\n')).to.deep.equal(['12:12: `returns`, `raises` cannot be used together']);
      expect(expectation('  outcome: {raises: ValueError, match: "("}\n')).to.deep.equal(['12:40: `match` is not a valid regular expression: Invalid regular expression: /(/: Unterminated group']);
      expect(expectation('  tasks: {t1: done}\n')).to.deep.equal(['12:15: `t1` must be one of pending, cancelled; found the string "done"']);
      expect(expectation('  - trace: []\n')).to.deep.equal(['12:5: missing required key `python` in expectation variant']);
      expect(expectation('  logs: yes\n')).to.deep.equal(['12:9: `logs` must be true or false, not the string "yes"']);
    });

    it('explain bad top-level values', () => {
      expect(errorsOf(scenario('- pass').replace('strictness: documented', 'strictness: detail'))).to.deep.equal([
        '5:13: `strictness` must be one of documented, cpython-detail; found the string "detail"',
      ]);
      expect(errorsOf(scenario('- pass', { id: 'Gather' }))).to.deep.equal([
        '1:5: id `Gather` is not of the form area.slug: dotted lowercase words of letters, digits, `-` and `_` (e.g. gather.results-in-argument-order)',
      ]);
    });
  });

  describe('the checks CPython makes when it compiles', () => {
    /** A scenario with a function (or, with `group`, coroutine) `g` of body `body`, whose first step is line 10. */
    const withDef = (body: string, mainSteps = '- pass', group = 'functions', extra = '') => {
      const g = `    g:\n${extra}      body:\n${body.split('\n').map((l) => `        ${l}`).join('\n')}\n`;
      return scenario(mainSteps).replace('  coroutines:\n', group === 'functions' ? `  functions:\n${g}  coroutines:\n` : `  coroutines:\n${g}`);
    };

    it('refuse break and continue outside a loop, including a loop\'s else clause', () => {
      expect(errorsOf(scenario('- continue'))).to.deep.equal([
        "10:11: `continue` outside a loop (Python: SyntaxError: 'continue' not properly in loop)",
      ]);
      expect(errorsOf(scenario('- while: true\n  do: [pass]\n  else: [break]'))).to.deep.equal([
        "12:18: `break` outside a loop (Python: SyntaxError: 'break' outside loop)",
      ]);
    });

    it('accept break and continue nested in try and if inside a loop', () => {
      expect(errorsOf(scenario('- while: true\n  do:\n    - try:\n        - if: true\n          then: [continue]\n      finally: [break]'))).to.deep.equal([]);
    });

    it('refuse await, async_for and async_with outside coroutines, with the reason', () => {
      expect(errorsOf(withDef('- async_with: {timeout: 1}\n  do: [pass]'))).to.deep.equal([
        "10:11: `async_with` in the plain function `g`; it is allowed only in coroutines (Python: SyntaxError: 'async with' outside async function)",
      ]);
      expect(errorsOf(withDef('- print: {await: {sleep: 0}}', '- pass', 'coroutines', '      generator: true\n'))).to.deep.equal([
        "11:19: `await` in the `generator: true` coroutine `g`; it is allowed only in coroutines (Python: SyntaxError: 'await' outside async function)",
      ]);
    });

    it('refuse yield_from outside generator coroutines', () => {
      expect(errorsOf(scenario('- yield_from: {sleep: 0}'))).to.deep.equal([
        "10:11: `yield_from` in the coroutine `main`; it is allowed only in `generator: true` coroutines (Python: SyntaxError: 'yield from' inside async function)",
      ]);
      expect(errorsOf(withDef('- yield_from: {sleep: 0}', '- pass', 'coroutines', '      generator: true\n'))).to.deep.equal([]);
    });

    it('allow await in a comprehension only inside a coroutine', () => {
      const comp = '- set: {x: {comp: {await: $c}, for: c, in: []}}';
      expect(errorsOf(scenario(comp))).to.deep.equal([]);
      expect(errorsOf(withDef(comp))).to.deep.equal([
        '10:28: `await` in a comprehension in the plain function `g` (Python: SyntaxError: asynchronous comprehension outside of an asynchronous function)',
      ]);
    });

    it('check parameter defaults as module-level code', () => {
      expect(errorsOf(withDef('- pass', '- pass', 'functions', '      params: [{x: {await: {sleep: 0}}}]\n'))).to.deep.equal([
        "9:21: `await` at module level; it is allowed only in coroutines (Python: SyntaxError: 'await' outside function)",
      ]);
    });
  });

  describe('f-string checks', () => {
    it('refuse a bad f-string with its position', () => {
      expect(errorsOf(scenario('- print: {f: "a{b"}'))).to.deep.equal([
        `10:22: bad f-string "a{b": f-string: expecting '}'`,
      ]);
    });

    it('leave alone a variable, keyword argument or parameter named f', () => {
      const text = scenario('- set: {f: "a{b"}\n- call: [$f]\n  kwargs: {f: "a{b"}').replace(
        '  coroutines:\n', '  functions:\n    g:\n      params: [{f: "a{b"}]\n      body: [pass]\n  coroutines:\n');
      expect(errorsOf(text)).to.deep.equal([]);
    });
  });

  describe('the malformed fixtures', () => {
    const cases: Record<string, string[]> = {
      'bad-yaml-syntax': ['12:1: [malformed.bad-yaml-syntax] YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]'],
      'unknown-top-level-key': [
        '2:1: [malformed.unknown-top-level-key] missing required key `expect` in scenario',
        '12:1: [malformed.unknown-top-level-key] unknown key `expected` in scenario (did you mean `expect`?); allowed: id, title, description, covers, python, strictness, requires, tags, program, expect',
      ],
      'unknown-step': ['11:11: [malformed.unknown-step] unknown statement or expression `awiat` (did you mean `await`?)'],
      'unknown-asyncio-option': ['14:47: [malformed.unknown-asyncio-option] unknown option `timeot` for `wait_for`; allowed: timeout, loop'],
      'missing-id': ['2:1: missing required key `id` in scenario'],
      'bad-version-range': ['5:9: [malformed.bad-version-range] bad version range "=>3.8": unknown operator in "=>3.8"; use one of >=, <=, >, <, ==, !='],
      'alias-bomb': ['7:8: [malformed.alias-bomb] YAML aliases are not allowed in scenarios (`*a`); write the value out'],
      'tab-indented': ['9:1: [malformed.tab-indented] a tab is used for indentation; YAML indentation must be spaces'],
      'wrong-type': ['7:7: [malformed.wrong-type] `tags` must be a list, not the string "docs-example"'],
      'python-as-number': ['5:9: [malformed.python-as-number] `python` must be a string, not the number 3.1; write it in quotes (python: ">=3.10"): YAML reads an unquoted 3.10 as the number 3.1'],
      'duplicate-key': ['7:1: [malformed.duplicate-key] duplicate key `title` (each key may appear once in a mapping)'],
      'non-string-key': ['11:17: [malformed.non-string-key] mapping keys must be strings; this key is the integer 1 (quote it: "1")'],
      'two-operators': ['11:11: [malformed.two-operators] one mapping holds two operators, `await`, `sleep`; an expression or statement has exactly one (nest one inside the other)'],
      'unknown-capability': ['7:12: [malformed.unknown-capability] unknown capability `thread` (did you mean `threads`?); known: threads, thread-blocking, to-thread, run-coroutine-threadsafe, generator-coroutines, task-stack, task-names, contextvars, warnings, never-awaited-warning, debug-mode, exception-handler, logging, eager-tasks, task-groups, timeouts, cancel-message, cancelling, shield, wait, as-completed, multiple-loops, loop-argument (spec/capabilities.yaml)'],
      'statement-as-expression': ['11:20: [malformed.statement-as-expression] `if` is a statement and cannot be used as an expression'],
      'await-in-plain-function': ["11:11: [malformed.await-in-plain-function] `await` in the plain function `callback`; it is allowed only in coroutines (Python: SyntaxError: 'await' outside async function)"],
      'break-outside-loop': ["15:15: [malformed.break-outside-loop] `break` outside a loop (Python: SyntaxError: 'break' outside loop)"],
      'return-at-module-level': ["13:7: [malformed.return-at-module-level] `return` at module level (Python: SyntaxError: 'return' outside function)"],
    };
    for (const [name, expected] of Object.entries(cases)) {
      it(`report ${name}.yaml at the exact position`, () => {
        const file = src('fixtures/malformed', `${name}.yaml`);
        const { scenarios, errors } = loadScenarioFile(file);
        expect(scenarios).to.deep.equal([]);
        expect(errors.every((e) => e.file === file)).to.equal(true);
        expect(errors.map(formatError)).to.deep.equal(expected.map((e) => `${file}:${e}`));
      });
    }

    it('each say in a leading comment what is wrong', () => {
      for (const f of fs.readdirSync(src('fixtures/malformed')).filter((n) => n.endsWith('.yaml'))) {
        expect(fs.readFileSync(src('fixtures/malformed', f), 'utf8'), f).to.match(/^# Fault: /);
      }
    });

    it('leave corpus-level faults to lint: those files load', () => {
      for (const name of ['duplicate-id-a', 'duplicate-id-b', 'unknown-covers', 'bad-variants']) {
        expect(loadScenarioFile(src('fixtures/malformed', `${name}.yaml`)).errors, name).to.deep.equal([]);
      }
    });
  });
});
