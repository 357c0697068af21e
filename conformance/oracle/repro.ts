/**
 * `aiospec repro <id>`: a standalone script that shows CPython's behaviour.
 *
 * CLI wiring (conformance/cli.ts): `export async function cmdRepro(args:
 * string[]): Promise<number>`, where `args` are the words after `repro`:
 *   aiospec repro ID [--dir DIR]
 * prints the script on stdout, so that `npx aiospec repro ID | python3` (any
 * CPython 3.7+) runs the scenario in virtual time and prints what happened
 * in the scenario's expectation format (`[t, "text"]` items). Exit 1 when no
 * scenario has that id.
 *
 * The script has three parts: the scenario compiled to Python
 * (python/compiler.ts) as a string; aiospec's virtual-time runtime
 * (python/aiospec_adapter/vtime.py) verbatim; a footer that runs the first
 * on the second through `run_source`, as the CPython adapter does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, parseAllDocuments, isMap, type Node } from 'yaml';
import type { Scenario } from '../language/ast';
import { compileToPython, oneLine } from '../python/compiler';
import { VTIME } from '../python/cpython';
import { loadCorpus, parseArgs, selectScenarios } from './corpus';
import { TO_STRING } from './yaml-edit';

export { VTIME };

/** The repro script for `scenario`; `expectText` is its `expect` as YAML (shown in the header). */
export function reproScript(scenario: Scenario, vtimeSource: string, expectText?: string): string {
  const program = compileToPython(scenario);
  const header = [
    '#!/usr/bin/env python3',
    `# aiospec repro: ${scenario.id}`,
    `# ${oneLine(scenario.title)}`,
    `# Holds for Python ${scenario.python} (${scenario.strictness}). Run: npx aiospec repro ${scenario.id} | python3`,
    '# (the oracle runs CPython with PYTHONHASHSEED=0: pipe into `PYTHONHASHSEED=0 python3` for its exact set orders)',
    '#',
    '# 1. the scenario compiled to Python (what CPython runs);',
    '# 2. aiospec\'s virtual-time runtime, conformance/python/aiospec_adapter/vtime.py, verbatim;',
    '# 3. a footer running 1 on 2 and printing what happened, in the scenario\'s expectation format.',
  ];
  if (expectText) {
    header.push('#', '# The scenario expects:', ...expectText.trimEnd().split('\n').map((l) => `#   ${l}`));
  }
  return [
    ...header,
    '',
    '# ---------------------------------------------------------------------------',
    '# 1. The scenario',
    '',
    `SCENARIO = ${tripleQuoted(program)}`,
    '',
    '# ---------------------------------------------------------------------------',
    '# 2. vtime.py',
    '',
    vtimeSource.trimEnd(),
    '',
    '',
    '# ---------------------------------------------------------------------------',
    '# 3. Run it',
    '',
    FOOTER.trimEnd(),
    '',
  ].join('\n');
}

/** The footer: Python 3.7-compatible, prints `trace:` / `outcome:` / `tasks:` as a scenario writes them. */
const FOOTER = String.raw`
import json as _aiospec_json


def _aiospec_t(t):
    return str(int(t)) if t == int(t) and abs(t) < 1e15 else repr(t)


def _aiospec_q(s):
    return _aiospec_json.dumps(s, ensure_ascii=False)


def _aiospec_expectation(result):
    lines = ['trace:' if result['events'] else 'trace: []']
    for e in result['events']:
        if e['kind'] == 'print':
            lines.append('  - [%s, %s]' % (_aiospec_t(e['t']), _aiospec_q(e['text'])))
        elif e['kind'] == 'warning':
            lines.append('  - {at: %s, warning: %s, message: %s}' % (_aiospec_t(e['t']), e['category'], _aiospec_q(e['message'])))
        else:
            lines.append('  - {at: %s, log: %s, message: %s}' % (_aiospec_t(e['t']), e['level'], _aiospec_q(e['message'].split('\n')[0])))
    o = result['outcome']
    if o['kind'] == 'returned':
        lines.append('outcome: {returns: %s}' % _aiospec_q(o['repr']))
    elif o['kind'] == 'raised':
        lines.append('outcome: {raises: %s, args: [%s]}' % (o['type'], ', '.join(_aiospec_q(a) for a in o['args'])))
    else:
        lines.append('outcome: {deadlock: true}')
    if result['tasks']:
        lines.append('tasks:')
        for task in result['tasks']:
            state = task['state']
            if state == 'finished':
                state = '{result: %s}' % _aiospec_q(task.get('value', 'None'))
            elif state == 'failed':
                state = '{exception: %s}' % _aiospec_q(task.get('value', ''))
            lines.append('  %s: %s' % (_aiospec_q(task['name']), state))
    return '\n'.join(lines) + '\n'


def _aiospec_main():
    import faulthandler
    # run_source swaps sys.stdout for its capture and __main__ for a fresh module.
    real_stdout, this_module = sys.stdout, sys.modules['__main__']

    def on_result(result):
        faulthandler.cancel_dump_traceback_later()
        real_stdout.write('# CPython %s, virtual time\n' % sys.version.split()[0])
        real_stdout.write(_aiospec_expectation(result))
        real_stdout.flush()

    faulthandler.dump_traceback_later(float(os.environ.get('AIOSPEC_TIMEOUT', '10')), exit=True)
    run_source(SCENARIO, on_result)
    del this_module


_aiospec_main()
`;

/** `source` as a Python triple-quoted literal: raw when that is exact, escaped otherwise. */
export function tripleQuoted(source: string): string {
  for (const q of ["'''", '"""']) {
    if (!source.includes(q) && !source.endsWith(q[0]) && !/\\$/.test(source)) return `r${q}${source}${q}`;
  }
  const escaped = source.replace(/\\/g, '\\\\').replace(/'''/g, "\\'\\'\\'");
  return `'''${escaped}'''`;
}

/** The scenario's `expect` as written in its file (styles and comments kept). */
export function expectTextOf(file: string, id: string): string | undefined {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(docs)) return undefined;
  const doc = docs.find((d) => isMap(d.contents) && d.get('id') === id);
  const node = doc?.get('expect', true) as Node | undefined;
  if (!node) return undefined;
  const out = new Document();
  out.contents = out.createNode({}) as typeof out.contents;
  (out.contents as unknown as { set(k: string, v: Node): void }).set('expect', node);
  return out.toString(TO_STRING);
}

export async function cmdRepro(args: string[]): Promise<number> {
  const { words, flags } = parseArgs(args, ['dir']);
  if (flags.has('help')) {
    console.log('usage: aiospec repro ID [--dir DIR]   (pipe the script into python3)');
    return 0;
  }
  if (words.length !== 1) {
    console.error('usage: aiospec repro <scenario id>   (then pipe into python3)');
    return 2;
  }
  const corpus = loadCorpus(typeof flags.get('dir') === 'string' ? path.resolve(flags.get('dir') as string) : undefined);
  const hit = corpus.scenarios.find((s) => s.scenario.id === words[0]) ?? selectScenarios(corpus.scenarios, words).selected[0];
  if (!hit) {
    for (const e of corpus.errors) console.error(`load error: ${e}`);
    console.error(`no scenario with id ${JSON.stringify(words[0])}`);
    return 1;
  }
  if (!fs.existsSync(VTIME)) {
    console.error(`the virtual-time runtime is missing: ${VTIME}`);
    return 2;
  }
  process.stdout.write(reproScript(hit.scenario, fs.readFileSync(VTIME, 'utf8'), expectTextOf(hit.file, hit.scenario.id)));
  return 0;
}
