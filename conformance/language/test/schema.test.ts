import { expect } from 'chai';
import * as fs from 'fs';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { ASYNCIO_FUNCTIONS } from '../ast';
import {
  EXPRESSIONS, STATEMENTS, buildScenarioSchema, loadCapabilities, operatorOf, operatorsOf, renderSchema,
} from '../schema';
import { src } from './helpers';

describe('scenario schema', () => {
  it('is committed exactly as generated (regenerate: node dist/conformance/language/schema.js --write)', () => {
    expect(fs.readFileSync(src('spec/scenario.schema.json'), 'utf8')).to.equal(renderSchema());
  });

  it('compiles under ajv strict mode', function () {
    this.timeout(20000);
    const ajv = new Ajv2020({ strict: true, strictRequired: false, strictNumbers: false, strictTuples: false, allowUnionTypes: true });
    expect(() => ajv.compile(buildScenarioSchema())).to.not.throw();
  });

  it('has one expression form per asyncio function of ast.ts, with its options', () => {
    const defs = buildScenarioSchema().$defs as Record<string, { properties: Record<string, unknown> }>;
    for (const [fn, options] of Object.entries(ASYNCIO_FUNCTIONS)) {
      expect(Object.keys(defs[`op.${fn}`].properties), fn).to.deep.equal([fn, ...options]);
    }
  });

  it('takes its capability names from spec/capabilities.yaml', () => {
    const defs = buildScenarioSchema().$defs as Record<string, { enum: string[] }>;
    expect(defs.capability.enum).to.deep.equal(loadCapabilities().map((c) => c.name));
  });

  it('gives no operator key two meanings at the same level', () => {
    for (const k of Object.keys(STATEMENTS)) {
      if (k in EXPRESSIONS) expect.fail(`\`${k}\` is both a statement and an expression`);
    }
  });
});

describe('capability registry', () => {
  it('is valid against spec/capabilities.schema.json, each name once, each with a meaning', () => {
    const ajv = new Ajv2020({ strict: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(src('spec/capabilities.schema.json'), 'utf8')));
    const doc = parse(fs.readFileSync(src('spec/capabilities.yaml'), 'utf8'));
    expect(validate(doc), JSON.stringify(validate.errors)).to.equal(true);
    const names = loadCapabilities().map((c) => c.name);
    expect(new Set(names).size).to.equal(names.length);
  });

  it('names every capability the brief of the design asks for', () => {
    const names = loadCapabilities().map((c) => c.name);
    expect(names).to.include.members([
      'threads', 'generator-coroutines', 'task-stack', 'contextvars', 'warnings', 'debug-mode', 'exception-handler',
      'eager-tasks', 'task-names', 'thread-blocking', 'run-coroutine-threadsafe', 'to-thread',
    ]);
  });
});

describe('operatorOf', () => {
  it('finds the one operator key of a mapping', () => {
    expect(operatorOf(['await'], false)).to.equal('await');
    expect(operatorOf(['wait_for', 'timeout'], false)).to.equal('wait_for');
    expect(operatorOf(['timeout'], false)).to.equal('timeout');
    expect(operatorOf(['create_task', 'name'], false)).to.equal('create_task');
    expect(operatorOf(['comp', 'for', 'in', 'if'], true)).to.equal('comp');
    expect(operatorOf(['for', 'in', 'do'], true)).to.equal('for');
  });

  it('knows statements only in step position', () => {
    expect(operatorOf(['for', 'in', 'do'], false)).to.equal('in');
    expect(operatorOf(['print'], false)).to.equal(undefined);
  });

  it('reports ambiguity as several operators', () => {
    expect(operatorsOf(['await', 'sleep'], false)).to.deep.equal(['await', 'sleep']);
  });
});

describe('INTERPRETING.md', () => {
  const doc = fs.readFileSync(src('spec/INTERPRETING.md'), 'utf8');

  it('opens with its spec_version', () => {
    expect(doc).to.match(/^---\nspec_version: \d+\.\d+\.\d+\n---\n/);
  });

  it('explains every statement and every expression operator of the schema', () => {
    // The whole name after a backtick (`ne !=`, `while: c`, `is`) or as a mapping key: a bare prefix would
    // let `new_event_loop, `len, `get_event_loop and `module stand in for ne, le, ge and mod.
    const missing = [...Object.keys(STATEMENTS), ...Object.keys(EXPRESSIONS)].filter((k) => !new RegExp(`\`${k}(?!\\w)`).test(doc) && !doc.includes(`{${k}:`));
    expect(missing).to.deep.equal([]);
  });
});
