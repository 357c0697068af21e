/**
 * A minimal NDJSON client for adapter processes in tests (the harness has its
 * own in conformance/adapters/process.ts), checking every reply against
 * spec/protocol/*.schema.json.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import Ajv from 'ajv';
import { ADAPTER_DIR } from '../cpython';

const REPO = path.resolve(ADAPTER_DIR, '../../..');

function schema(name: string) {
  const ajv = new Ajv({ strict: false });
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(REPO, 'spec', 'protocol', `${name}.schema.json`), 'utf8')));
}
export const validHello = schema('hello');
export const validResult = schema('result');
export const validError = schema('error');

export type Msg = Record<string, any>;

export class Server {
  readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private readonly waiters: ((line: string | null) => void)[] = [];
  private closed = false;
  private seq = 0;
  stderr = '';

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr += String(d)));
    const rl = readline.createInterface({ input: this.child.stdout! });
    rl.on('line', (line) => {
      const w = this.waiters.shift();
      if (w) w(line);
      else this.lines.push(line);
    });
    rl.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w(null);
    });
  }

  next(): Promise<Msg> {
    const parse = (line: string | null): Msg => {
      if (line === null) throw new Error(`adapter closed its output; stderr: ${this.stderr}`);
      return JSON.parse(line);
    };
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(parse(l));
    if (this.closed) return Promise.resolve().then(() => parse(null));
    return new Promise((resolve, reject) => this.waiters.push((line) => {
      try {
        resolve(parse(line));
      } catch (e) {
        reject(e);
      }
    }));
  }

  send(msg: Msg): void {
    this.child.stdin!.write(JSON.stringify(msg) + '\n');
  }

  async run(source: string): Promise<Msg> {
    const seq = ++this.seq;
    this.send({ type: 'run', seq, id: `test.${seq}`, python: '3.11', source });
    const reply = await this.next();
    expect(reply.seq).to.equal(seq);
    if (reply.type === 'result') expect(validResult(reply), JSON.stringify(validResult.errors)).to.equal(true);
    else expect(validError(reply), JSON.stringify(validError.errors)).to.equal(true);
    return reply;
  }

  async bye(): Promise<number | null> {
    const done = new Promise<number | null>((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.send({ type: 'bye' });
    this.child.stdin!.end();
    return done;
  }
}


/** `[t, text]` of the print events. */
export function prints(r: Msg): [number, string][] {
  return r.events.filter((e: Msg) => e.kind === 'print').map((e: Msg) => [e.t, e.text]);
}

export function src(lines: string[]): string {
  return lines.join('\n') + '\n';
}

/**
 * The docs' say_after program: main() starts say_after(1, "hello") as task
 * `t`, awaits say_after(2, "world"), then runs `mainTail` (its last lines,
 * whose return value is the run's result).
 */
export function sayAfterSource(mainTail: string[]): string {
  return src([
    'import asyncio',
    'async def say_after(delay, what):',
    '    await asyncio.sleep(delay)',
    '    print(what)',
    'async def main():',
    '    t = asyncio.create_task(say_after(1, "hello"))',
    '    await say_after(2, "world")',
    ...mainTail,
    '__aiospec_result__ = asyncio.run(main())',
  ]);
}
