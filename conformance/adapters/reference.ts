/**
 * The in-process adapter over the bundled reference runtime (reference/).
 *
 * Invariants:
 * - One Session is one `createAsyncio({python})` world with simulated
 *   threads installed on its virtual clock; nothing is shared between
 *   sessions.
 * - A coroutine of the program is a runtime Coroutine whose generator is a
 *   *trampoline*: it drives the program's body, awaits each awaitable the
 *   body yields with `yield*` (so the Task sees exactly what an `await` in
 *   CPython would hand it), and serves each Suspend as a blocking call of the
 *   current participant. It adds no yield of its own.
 * - A Suspend is served synchronously on the main thread (the runtime's main
 *   participant is the JS stack: `runBlocking` blocks it while threads run)
 *   and by `yield*` of the blocking generator in a simulated thread.
 * - Values cross the boundary unchanged, except: program functions become
 *   runtime callables (one wrapper per function, so identity holds for
 *   remove_done_callback), time-like numbers become JS numbers, and runtime
 *   containers come back as PyList/PySet/PyTuple; runtime counts as ints.
 *
 * Python names: `asyncio.X` is `asyncio[X]`, `time.sleep` is
 * `timeSleepGen`, `threading.Thread` is `Thread`, `concurrent.futures.Future`
 * is `ConcurrentFuture`, `io.StringIO` is {@link StringIO} below.
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import {
  DeadlockError,
  type EventSink,
  type ExceptionInfo,
  type ImplementationInfo,
  type InProcessAdapter,
  type Kwargs,
  type ProgramFunction,
  type PyValue,
  type Session,
  Suspend,
  type BodyRun,
} from './adapter';
import type { TaskReport } from '../results';
import * as render from '../interpreter/render';
import { PyBuiltin, PyDict, PyFunction, PyList, PySet, PyTuple, ownTypeName, isOwnValue } from '../interpreter/values';
import { createAsyncio, type Asyncio } from '../../reference/asyncio';
import { Coroutine, asyncDef, currentCoroutine } from '../../reference/coroutines';
import { BaseException, RuntimeError, TypeError as PyTypeError, AttributeError, NameError, pyRepr, pyStr } from '../../reference/exceptions';
import { Future, isfuture } from '../../reference/futures';
import { Task, taskMethodMissing } from '../../reference/tasks';
import { installThreads } from '../../reference/executor';
import { Thread, ThreadScheduler, runBlocking, timeSleepGen, type BlockingGen } from '../../reference/threads';
import { ConcurrentFuture, runtimeConcurrentErrors } from '../../reference/concurrent_futures';
import { Deadlock } from '../../reference/clock';
import { PYTHON_VERSIONS } from '../../reference/versions';

/** Capabilities of spec/capabilities.yaml the reference runtime implements. */
const CAPABILITIES = [
  'threads', 'thread-blocking', 'to-thread', 'run-coroutine-threadsafe', 'generator-coroutines', 'task-stack',
  'task-names', 'contextvars', 'warnings', 'never-awaited-warning', 'debug-mode', 'exception-handler', 'logging',
  'eager-tasks', 'task-groups', 'timeouts', 'cancel-message', 'cancelling', 'shield', 'wait', 'as-completed',
  'multiple-loops', 'loop-argument',
];

function packageVersion(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'aiospec') return pkg.version ?? '0.0.0';
    }
    if (dirname(dir) === dir) return '0.0.0';
  }
}

export const referenceAdapter: InProcessAdapter = {
  info(): ImplementationInfo {
    return { name: 'aiospec-reference', version: packageVersion(), pythons: [...PYTHON_VERSIONS], capabilities: [...CAPABILITIES] };
  },
  open(python: string, sink: EventSink): Session {
    return new ReferenceSession(python, sink);
  },
};

// ---------------------------------------------------------------------------
// Small objects of the adapter's own

/** `io.StringIO`: enough for `print_stack(file=buf)` and `buf.getvalue()`. */
export class StringIO {
  private text = '';
  write(s: unknown): bigint {
    const t = String(s);
    this.text += t;
    return BigInt([...t].length);
  }
  getvalue(): string {
    return this.text;
  }
  __repr__(): string {
    return '<_io.StringIO object>';
  }
}

/** A library function used as a value (`{name: time.sleep}`): called through `__call__`. */
class LibraryFunction {
  constructor(readonly dotted: string) {}
  __repr__(): string {
    return `<built-in function ${this.dotted.split('.').pop()}>`;
  }
}

/** A method of a runtime object used as a value (`$task.cancel` passed as a callback). */
class BoundMethod {
  constructor(readonly target: object, readonly name: string) {}
  /** `m1 == m2` / identity: one BoundMethod per (target, name), see boundMethod(). */
  __repr__(): string {
    return `<bound method ${this.name} of ${pyRepr(this.target)}>`;
  }
}

interface RuntimeFrame {
  name: string;
  filename: string;
  lineno: number;
}

/** A frame as `Task.get_stack()` returns it: `f.f_code.co_name`, `f.f_lineno`. */
class FrameObject {
  readonly f_code: { co_name: string; co_filename: string; __repr__(): string };
  readonly f_lineno: bigint;
  constructor(f: RuntimeFrame) {
    this.f_code = { co_name: f.name, co_filename: f.filename, __repr__: () => `<code object ${f.name}>` };
    this.f_lineno = BigInt(f.lineno);
  }
  __repr__(): string {
    return `<frame, file '${this.f_code.co_filename}', line ${this.f_lineno}, code ${this.f_code.co_name}>`;
  }
}

/** A blocking operation, as a Suspend request. */
interface Blocking {
  /** The operation as a generator of the threads module (yields Blocking requests). */
  gen?: () => BlockingGen<unknown>;
  /** An operation that runs synchronously on the main thread (asyncio.run). */
  sync?: () => unknown;
}

const num = (v: PyValue): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : (v as number));
const numOrNull = (v: PyValue): number | null => (v === null || v === undefined ? null : num(v));

/**
 * Runs a program body to its end, serving each value it yields with `serve`:
 * what serving returns is sent back into the body, a Python exception it
 * raises is thrown into the body, and anything else propagates. The driver
 * yields what serving yields (nothing, when serving never yields).
 */
function* driveBody<Y, N>(body: BodyRun, serve: (v: unknown) => Generator<Y, PyValue, N>): Generator<Y, PyValue, N> {
  let r = body.next();
  while (!r.done) {
    let sent: PyValue;
    try {
      sent = yield* serve(r.value);
    } catch (e) {
      if (!(e instanceof BaseException)) throw e;
      r = body.throw(e);
      continue;
    }
    r = body.next(sent);
  }
  return r.value;
}

// ---------------------------------------------------------------------------
// The session

class ReferenceSession implements Session {
  private readonly asyncio: Asyncio;
  private readonly scheduler: ThreadScheduler;
  private readonly created: Task<unknown>[] = [];
  /** Each task's 1-based creation number (3.7 has no names; the report calls it Task-N). */
  private readonly taskNumbers = new WeakMap<Task<unknown>, number>();
  /** One runtime callable per program function (identity matters: remove_done_callback). */
  private readonly syncWrappers = new WeakMap<object, (...a: unknown[]) => unknown>();
  private readonly coroutineFunctions = new WeakMap<object, unknown>();
  /** Runtime callables made for program values, back to those values (identity survives a round trip). */
  private readonly original = new WeakMap<object, PyValue>();
  /** Futures whose last program reference went (CPython calls __del__ once). */
  private readonly freed = new WeakSet<object>();

  constructor(python: string, private readonly sink: EventSink) {
    this.asyncio = createAsyncio({ python });
    this.scheduler = installThreads(this.asyncio.runtime);
    this.asyncio.warnings.onWarning = (w) => {
      if (w.categoryName === 'ResourceWarning') return;
      sink.emit({ t: w.time ?? this.time(), kind: 'warning', category: w.categoryName, message: w.message });
    };
    // INTERPRETING.md: a log event carries the first line of the formatted message.
    this.asyncio.logger.onLog = (r) => sink.emit({ t: r.time ?? this.time(), kind: 'log', level: r.level, message: r.message.split('\n')[0] });
    // Every task ever created, in creation order, and each one's state when it became done.
    this.asyncio.runtime.taskObserver = {
      created: (t) => this.taskNumbers.set(t as Task<unknown>, this.created.push(t as Task<unknown>)),
      done: (t) => this.doneSnapshots.set(t as Task<unknown>, this.snapshot(t as Task<unknown>)),
    };
  }

  time(): number {
    return this.asyncio.runtime.clock.time();
  }

  /** The `file` for print_stack() without one: its first line is a print event, the rest goes to stderr. */
  private headerToStdout(): { write(s: unknown): bigint } {
    let text = '';
    let emitted = false;
    return {
      write: (s: unknown): bigint => {
        text += String(s);
        const nl = text.indexOf('\n');
        if (!emitted && nl >= 0) {
          emitted = true;
          this.sink.emit({ t: this.time(), kind: 'print', text: text.slice(0, nl) });
        }
        return BigInt(String(s).length);
      },
    };
  }

  // -- driving bodies -------------------------------------------------------

  async main(body: () => BodyRun): Promise<void> {
    try {
      this.driveSync(body(), 'module');
    } catch (e) {
      if (e instanceof Deadlock || (e as Error)?.name === 'Deadlock') throw new DeadlockError((e as Error).message.replace(/^deadlock: /, ''));
      throw e;
    }
  }

  /** Runs a body on the main thread to its end; Suspends block the main thread. */
  private driveSync(body: BodyRun, what: string): PyValue {
    const self = this;
    // Serving never yields, so the first next() runs the body to its end.
    return driveBody<never, unknown>(body, function* (v) {
      if (!(v instanceof Suspend)) throw new Error(`aiospec: ${what} yielded an awaitable outside a coroutine`);
      return self.serveSync(v);
    }).next().value;
  }

  private serveSync(s: Suspend): PyValue {
    const req = s.request as Blocking;
    if (req.sync) return req.sync();
    if (this.scheduler.current !== this.scheduler.main) {
      throw new Error('aiospec: a blocking call in a callback run by a simulated thread is not supported');
    }
    return runBlocking(this.scheduler, req.gen!() as BlockingGen<unknown>);
  }

  /** Runs a body on a simulated thread: Suspends are yielded to the thread scheduler. */
  private driveThread(body: BodyRun): BlockingGen<unknown> {
    return driveBody(body, function* (v) {
      if (!(v instanceof Suspend)) throw new Error('aiospec: a thread body yielded an awaitable');
      const req = v.request as Blocking;
      return req.sync ? req.sync() : yield* req.gen!();
    });
  }

  /** The trampoline: a program coroutine body as a runtime coroutine body. */
  private trampoline(body: BodyRun): Generator<unknown, unknown, unknown> {
    return driveBody(body, (v) => this.serveAwait(v));
  }

  /** What a coroutine body's yield of `v` receives: a Suspend served on the main thread, an awaitable awaited. */
  private *serveAwait(v: unknown): Generator<unknown, PyValue, unknown> {
    return v instanceof Suspend ? this.serveSync(v) : this.fromRuntime(yield* this.awaitValue(v));
  }

  /** `await v`: coroutines and futures by delegation, anything else with `__await__`. */
  private *awaitValue(v: unknown): Generator<unknown, unknown, unknown> {
    if (v instanceof Coroutine || isfuture(v)) return yield* v as Iterable<unknown>;
    const a = v as { __await__?: () => Iterator<unknown> } | null;
    if (a && typeof a === 'object' && typeof a.__await__ === 'function') return yield* { [Symbol.iterator]: () => a.__await__!() };
    // 3.14 reworded it (measured in the corpus: "'int' object can't be awaited").
    throw new PyTypeError(this.asyncio.profile.minor >= 14
      ? `'${this.typeName(v)}' object can't be awaited`
      : `object ${this.typeName(v)} can't be used in 'await' expression`);
  }

  // -- functions across the boundary ------------------------------------------

  define(fn: ProgramFunction): void {
    // `@asyncio.coroutine def f(): ...`: the decorator runs at definition (warns on 3.8-3.10, AttributeError from 3.11).
    if (fn.kind === 'generator') this.asyncio.coroutine(function* () {}, { name: fn.name });
  }

  coroutine(fn: ProgramFunction, args: PyValue[], kwargs: Kwargs): PyValue {
    const body = fn.start(args, kwargs);
    const code = fn.code;
    return new Coroutine(this.trampoline(body), fn.name, fn.name, fn.kind === 'generator' ? 'generator' : 'async', code?.filename, code?.firstlineno);
  }

  /** The body executing is the innermost running coroutine's: the one whose generator is the body's trampoline. */
  setLine(line: number): void {
    const coro = currentCoroutine();
    if (coro !== null) coro.lineno = line;
  }

  /** A program value as the runtime should receive it: functions become callables. */
  private toRuntime(v: PyValue): unknown {
    if (v instanceof PyFunction && v.kind !== 'function') return this.coroutineFunction(v);
    if (v instanceof PyFunction || v instanceof PyBuiltin) return this.syncCallable(v);
    if (v instanceof BoundMethod || v instanceof LibraryFunction) return this.libraryCallable(v);
    return v;
  }

  /** A method or library function used as a callback: a JS function that calls it (blocking calls run on the main thread). */
  private libraryCallable(v: BoundMethod | LibraryFunction): (...a: unknown[]) => unknown {
    let w = this.syncWrappers.get(v);
    if (!w) {
      w = (...a: unknown[]) => {
        const r = this.callMethod(v, '__call__', a.map((x) => this.fromRuntime(x)), {});
        return r instanceof Suspend ? this.serveSync(r) : r;
      };
      const name = v instanceof BoundMethod ? `${this.typeName(v.target)}.${v.name}` : v.dotted;
      Object.defineProperty(w, 'name', { value: name });
      Object.defineProperty(w, '__qualname__', { value: name });
      this.syncWrappers.set(v, w);
      this.original.set(w, v);
    }
    return w;
  }

  /** A plain function of the program as a synchronous runtime callback (call_soon, done callbacks). */
  private syncCallable(fn: ProgramFunction): (...a: unknown[]) => unknown {
    let w = this.syncWrappers.get(fn);
    if (!w) {
      w = (...a: unknown[]) => this.driveSync(fn.start(a.map((x) => this.fromRuntime(x)), {}), fn.name);
      Object.defineProperty(w, 'name', { value: fn.name });
      Object.defineProperty(w, '__qualname__', { value: fn.name });
      Object.defineProperty(w, 'pythonName', { value: fn.name });
      this.syncWrappers.set(fn, w);
      this.original.set(w, fn);
    }
    return w;
  }

  /** A coroutine function of the program as a runtime coroutine function (iscoroutinefunction). */
  private coroutineFunction(fn: PyFunction): unknown {
    let f = this.coroutineFunctions.get(fn);
    if (!f) {
      const session = this;
      f = asyncDef(function* (...a: unknown[]) {
        return yield* session.trampoline(fn.start(a, {}));
      }, { name: fn.name, filename: fn.code?.filename, firstlineno: fn.code?.firstlineno });
      this.coroutineFunctions.set(fn, f);
      this.original.set(f as object, fn);
    }
    return f;
  }

  /** `f(*args, **kwargs)` on a simulated thread: the generator the thread runs. */
  private threadJob(fn: PyValue, args: PyValue[], kwargs: Kwargs): () => BlockingGen<unknown> {
    const job = () => {
      if (fn instanceof PyFunction || fn instanceof PyBuiltin) return this.driveThread(fn.start(args, kwargs));
      const r = this.call('__call__', args, kwargs, fn);
      return (function* () {
        return r;
      })() as BlockingGen<unknown>;
    };
    const name = fn instanceof PyFunction || fn instanceof PyBuiltin ? fn.name : 'function';
    Object.defineProperty(job, 'name', { value: name });
    Object.defineProperty(job, 'pythonName', { value: name });
    return job;
  }

  /** A runtime value as the program should see it. */
  private fromRuntime(v: unknown): PyValue {
    if (v === undefined) return null;
    if (typeof v === 'function' && this.original.has(v)) return this.original.get(v);
    if (Array.isArray(v)) return new PyList(v.map((x) => this.fromRuntime(x)));
    if (v instanceof Set) return new PySet([...v].map((x) => this.fromRuntime(x)));
    if (v instanceof Map) return new PyDict([...v].map(([k, x]) => [this.fromRuntime(k), this.fromRuntime(x)]));
    return v;
  }

  // -- names and calls ------------------------------------------------------------

  name(dotted: string): PyValue {
    const a = this.asyncio;
    const exc = a.exceptionClass(dotted);
    if (exc) return exc;
    if (dotted.startsWith('asyncio.')) {
      const attr = dotted.slice('asyncio.'.length);
      if (attr === 'coroutine' && a.profile.coroutineDecorator === 'removed') {
        throw new AttributeError("module 'asyncio' has no attribute 'coroutine'");
      }
      if (attr === 'Future') return Future;
      if (attr === 'Task') return Task;
      const v = a[attr];
      if (typeof v === 'string') return v;
      if (v === undefined) throw new AttributeError(`module 'asyncio' has no attribute '${attr}'`);
      return new LibraryFunction(dotted);
    }
    const cls = LIBRARY_CLASSES[dotted];
    if (cls) return cls;
    if (/^(time|threading|contextvars|io|concurrent\.futures|inspect|functools)\./.test(dotted)) return new LibraryFunction(dotted);
    throw new NameError(`name '${dotted}' is not defined`);
  }

  call(callee: string, args: PyValue[], kwargs: Kwargs, target?: PyValue): PyValue | Suspend {
    if (target !== undefined) return this.callMethod(target, callee, args, kwargs);
    const cls = this.asyncio.exceptionClass(callee);
    if (cls) return new cls(...args);
    if (callee.startsWith('asyncio.')) return this.callAsyncio(callee.slice('asyncio.'.length), args, kwargs);
    const a = this.asyncio;
    switch (callee) {
      case 'time.sleep':
        return new Suspend({ gen: () => timeSleepGen(this.scheduler, num(args[0] ?? kwargs.secs)) } satisfies Blocking);
      case 'time.time':
      case 'time.monotonic':
        return this.time();
      case 'threading.Thread': {
        const target = kwargs.target ?? args[1] ?? null;
        const targs = kwargs.args ?? args[3] ?? new PyTuple();
        const tkwargs = kwargs.kwargs ?? args[4] ?? null;
        const positional = targs instanceof PyList || targs instanceof PyTuple ? [...targs.items] : [];
        const kw: Kwargs = tkwargs instanceof PyDict ? Object.fromEntries(tkwargs.entries().map(([k, v]) => [String(k), v])) : {};
        return new Thread(this.scheduler, {
          target: target === null ? null : this.threadJob(target, positional, kw),
          name: (kwargs.name ?? args[2] ?? null) as string | null,
          daemon: (kwargs.daemon ?? null) as boolean | null,
        });
      }
      case 'threading.current_thread':
        return this.scheduler.current;
      case 'threading.main_thread':
        return this.scheduler.main;
      case 'inspect.iscoroutine':
        return args[0] instanceof Coroutine && args[0].kind === 'async';
      case 'inspect.iscoroutinefunction': {
        const f = args[0];
        return f instanceof PyFunction && f.kind === 'coroutine';
      }
      case 'issubclass': {
        const [sub, sup] = args as unknown[] as Function[];
        if (typeof sub !== 'function' || typeof sup !== 'function') throw new PyTypeError('issubclass() arg 1 must be a class');
        return sub === sup || sub.prototype instanceof sup;
      }
      case 'contextvars.ContextVar':
        return 'default' in kwargs
          ? a.contextvars.ContextVar(String(args[0]), { default: kwargs.default })
          : a.contextvars.ContextVar(String(args[0]));
      case 'contextvars.copy_context':
        return a.contextvars.copy_context();
      case 'contextvars.Context':
        return a.contextvars.Context();
      case 'io.StringIO':
        return new StringIO();
      case 'concurrent.futures.Future':
        return new ConcurrentFuture(this.scheduler, runtimeConcurrentErrors(a.runtime));
    }
    throw new NameError(`name '${callee}' is not defined`);
  }

  private callAsyncio(fn: string, args: PyValue[], kwargs: Kwargs): PyValue | Suspend {
    const a = this.asyncio;
    const loopOpt = 'loop' in kwargs ? { loop: kwargs.loop as never } : {};
    const need = <T>(v: T | undefined): T => {
      if (v === undefined) throw new AttributeError(`module 'asyncio' has no attribute '${fn}'`);
      return v;
    };
    switch (fn) {
      case 'run': {
        if (args.length !== 1) {
          throw new PyTypeError(args.length === 0
            ? "run() missing 1 required positional argument: 'main'"
            : `run() takes 1 positional argument but ${args.length} were given`);
        }
        const options = 'debug' in kwargs ? { debug: kwargs.debug as boolean | null } : {};
        return new Suspend({ sync: () => this.fromRuntime(a.run(args[0], options)) } satisfies Blocking);
      }
      case 'sleep':
        return a.sleep(num(args[0] ?? kwargs.delay), args.length > 1 ? args[1] : (kwargs.result ?? null), loopOpt);
      case 'create_task': {
        const o: { name?: unknown; context?: never } = {};
        if ('name' in kwargs) o.name = kwargs.name;
        if ('context' in kwargs) o.context = kwargs.context as never;
        return a.create_task(args[0] as Coroutine<unknown>, o);
      }
      case 'ensure_future':
        return a.ensure_future(args[0], loopOpt);
      case 'gather':
        return need(a.gather)(args, { ...loopOpt, ...('return_exceptions' in kwargs ? { return_exceptions: kwargs.return_exceptions } : {}) });
      case 'shield':
        return need(a.shield)(args[0], loopOpt);
      case 'wait_for':
        return need(a.wait_for)(args[0], numOrNull(args.length > 1 ? args[1] : (kwargs.timeout ?? null)), loopOpt);
      case 'wait': {
        const o: Record<string, unknown> = { ...loopOpt };
        if ('timeout' in kwargs) o.timeout = numOrNull(kwargs.timeout);
        if ('return_when' in kwargs) o.return_when = kwargs.return_when;
        const fs = args[0];
        const coro = need(a.wait)(this.iterableArg(fs), o) as Coroutine<unknown>;
        return this.mapResult(coro, (r) => {
          const [done, pending] = r as [Set<unknown>, Set<unknown>];
          return new PyTuple([new PySet(done), new PySet(pending)]);
        });
      }
      case 'as_completed': {
        const o: Record<string, unknown> = { ...loopOpt };
        if ('timeout' in kwargs) o.timeout = numOrNull(kwargs.timeout);
        return need(a.as_completed)(this.iterableArg(args[0]), o);
      }
      case 'to_thread': {
        const [func, ...rest] = args;
        return need(a.to_thread)(this.threadJob(func, rest, kwargs), [], null);
      }
      case 'run_coroutine_threadsafe':
        if (args.length < 2 && !('loop' in kwargs)) {
          throw new PyTypeError("run_coroutine_threadsafe() missing 1 required positional argument: 'loop'");
        }
        return need(a.run_coroutine_threadsafe)(args[0], args[1] ?? kwargs.loop);
      case 'current_task':
        return a.current_task((args[0] ?? kwargs.loop ?? null) as never);
      case 'all_tasks':
        return new PySet([...a.all_tasks((args[0] ?? kwargs.loop ?? null) as never)]);
      case 'get_running_loop':
        return a.get_running_loop();
      case 'get_event_loop':
        return a.get_event_loop();
      case 'new_event_loop':
        return a.new_event_loop();
      case 'set_event_loop':
        a.set_event_loop((args[0] ?? null) as never);
        return null;
      case 'iscoroutine':
        return a.iscoroutine(args[0]);
      case 'iscoroutinefunction':
        return a.iscoroutinefunction(this.toRuntime(args[0]));
      case 'isfuture':
        return a.isfuture(args[0]);
      case 'timeout':
        return need(a.timeout)(numOrNull(args[0] ?? kwargs.delay ?? null));
      case 'timeout_at':
        return need(a.timeout_at)(numOrNull(args[0] ?? kwargs.when ?? null));
      case 'TaskGroup': {
        const TG = need(a.TaskGroup) as new () => unknown;
        return new TG();
      }
      case 'Future':
        return a.newFuture(loopOpt as { loop?: never });
    }
    if (fn === 'Task') {
      const o: Record<string, unknown> = { ...loopOpt };
      if ('name' in kwargs) o.name = kwargs.name;
      if ('context' in kwargs) o.context = kwargs.context;
      return a.newTask((args[0] ?? kwargs.coro) as Coroutine<unknown>, o as never);
    }
    const v = a[fn];
    if (v === undefined) throw new AttributeError(`module 'asyncio' has no attribute '${fn}'`);
    return this.invoke(v, args, kwargs);
  }

  /** Calls a runtime callable or class with Python arguments (kwargs as a trailing options object). */
  private invoke(v: unknown, args: PyValue[], kwargs: Kwargs): PyValue {
    if (typeof v !== 'function') throw new PyTypeError(`'${this.typeName(v)}' object is not callable`);
    const jsArgs = args.map((x) => this.toRuntime(x));
    if (Object.keys(kwargs).length) jsArgs.push(kwargs);
    const f = v as (...x: unknown[]) => unknown;
    if (isClass(f)) return this.fromRuntime(new (f as unknown as new (...x: unknown[]) => unknown)(...jsArgs));
    return this.fromRuntime(f(...jsArgs));
  }

  /** A list/tuple/set argument as the JS iterable the runtime expects (identity of items kept). */
  private iterableArg(v: PyValue): unknown {
    if (v instanceof PyList || v instanceof PyTuple) return [...v.items];
    if (v instanceof PySet) return new Set(v.items());
    return v;
  }

  /** A coroutine whose result is converted (wait's (done, pending) tuple of sets). */
  private mapResult(coro: Coroutine<unknown>, f: (r: unknown) => PyValue): Coroutine<unknown> {
    return new Coroutine(
      (function* () {
        return f(yield* coro);
      })(),
      coro.__name__,
      coro.__qualname__,
    );
  }

  private callMethod(target: PyValue, name: string, args: PyValue[], kwargs: Kwargs): PyValue | Suspend {
    this.checkMethodExists(target, name);
    // Callables used as values.
    if (name === '__call__') {
      if (target instanceof LibraryFunction) return this.call(target.dotted, args, kwargs);
      if (target instanceof BoundMethod) return this.callMethod(target.target as PyValue, target.name, args, kwargs);
      if (typeof target === 'function') {
        const t = target as unknown as { prototype?: unknown };
        if (t.prototype instanceof BaseException || t === (BaseException as unknown)) {
          return new (target as unknown as new (...x: unknown[]) => unknown)(...args);
        }
        if (target === (Task as unknown)) return this.callAsyncio('Task', args, kwargs);
        const dotted = Object.keys(LIBRARY_CLASSES).find((k) => LIBRARY_CLASSES[k] === target);
        if (dotted) return this.call(dotted, args, kwargs);
        if (target === (Future as unknown)) return this.callAsyncio('Future', args, kwargs);
        return this.invoke(target, args, kwargs);
      }
    }
    const obj = target as Record<string, unknown>;
    const o = (kw: string[]): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const k of kw) if (k in kwargs) out[k] = kwargs[k];
      return out;
    };
    const callbacks = (xs: PyValue[]) => xs.map((x) => this.toRuntime(x));
    switch (name) {
      case 'call_soon':
      case 'call_soon_threadsafe':
        return (obj[name] as Function).call(obj, this.toRuntime(args[0]), callbacks(args.slice(1)), o(['context']));
      case 'call_later':
      case 'call_at':
        return (obj[name] as Function).call(obj, num(args[0]), this.toRuntime(args[1]), callbacks(args.slice(2)), o(['context']));
      case 'run_in_executor':
        return (obj[name] as Function).call(obj, args[0], this.threadJob(args[1], args.slice(2), {}));
      case 'add_done_callback':
        return (obj[name] as Function).call(obj, this.toRuntime(args[0]), o(['context'])) ?? null;
      case 'remove_done_callback':
        return BigInt((obj[name] as Function).call(obj, this.toRuntime(args[0])));
      case 'set_exception_handler': {
        const h = args[0];
        if (h === null) return (obj[name] as Function).call(obj, null) ?? null;
        const fn = this.toRuntime(h) as (...x: unknown[]) => unknown;
        const handler = (loop: unknown, context: Record<string, unknown>) =>
          fn(loop, new PyDict(Object.entries(context).filter(([, v]) => v !== undefined).map(([k, v]) => [k, this.fromRuntime(v)])));
        return (obj[name] as Function).call(obj, handler) ?? null;
      }
      case 'cancel':
        // Before 3.9 the C cancel() takes no arguments; a keyword gets its own message.
        if ('msg' in kwargs && !args.length && !this.asyncio.profile.cancelMessage && obj instanceof Future) {
          throw obj._cancelArgsError(0, true);
        }
        if ('msg' in kwargs || args.length) return (obj.cancel as Function).call(obj, args.length ? args[0] : kwargs.msg);
        return (obj.cancel as Function).call(obj);
      case 'cancelling':
      case 'uncancel':
        return BigInt((obj[name] as Function).call(obj));
      case 'get_stack': {
        const frames = (obj.get_stack as Function).call(obj, { limit: numOrNull(args[0] ?? kwargs.limit ?? null) }) as RuntimeFrame[];
        return new PyList(frames.map((f) => new FrameObject(f)));
      }
      case 'print_stack': {
        // Without file=, CPython prints the header line with print(file=None), i.e. to stdout,
        // and the frames to sys.stderr (not traced).
        const file = args[1] ?? kwargs.file ?? this.headerToStdout();
        return (obj.print_stack as Function).call(obj, { limit: numOrNull(args[0] ?? kwargs.limit ?? null), file }) ?? null;
      }
      case '__getitem__':
        if (typeof obj.getItem === 'function') return (obj.getItem as Function).call(obj, args[0]);
        break;
      case '__contains__':
        if (typeof obj.has === 'function') return (obj.has as Function).call(obj, args[0]);
        break;
      case 'create_task':
        return (obj.create_task as Function).call(obj, args[0], o(['name', 'context']));
      case 'run':
        if (obj instanceof Object && typeof obj.run === 'function' && !(obj instanceof Thread)) {
          // Context.run(callable, *args)
          return this.fromRuntime((obj.run as Function).call(obj, this.toRuntime(args[0]), ...args.slice(1)));
        }
        break;
      case '__aexit__':
        // The runtime's __aexit__ takes the exception alone (None when the body ended normally).
        return (obj.__aexit__ as Function).call(obj, args.length >= 2 ? args[1] : (args[0] ?? null));
      case 'result':
      case 'exception':
        if (obj instanceof ConcurrentFuture) {
          const timeout = numOrNull(args[0] ?? kwargs.timeout ?? null);
          const gen = name === 'result' ? () => obj.resultGen(timeout) : () => obj.exceptionGen(timeout);
          return new Suspend({ gen: gen as () => BlockingGen<unknown> } satisfies Blocking);
        }
        break;
      case 'join':
        if (obj instanceof Thread) {
          const timeout = numOrNull(args[0] ?? kwargs.timeout ?? null);
          return new Suspend({ gen: () => obj.joinGen(timeout) } satisfies Blocking);
        }
        break;
    }
    const m = obj?.[name];
    if (typeof m !== 'function' || name.startsWith('_') && !name.startsWith('__')) {
      throw new AttributeError(`'${this.typeName(target)}' object has no attribute '${name}'`);
    }
    const jsArgs = args.map((x) => this.toRuntime(x));
    if (Object.keys(kwargs).length) jsArgs.push(kwargs);
    return this.fromRuntime((m as Function).apply(obj, jsArgs));
  }

  /** Methods added in later versions are absent before (AttributeError, as CPython). */
  private checkMethodExists(target: PyValue, name: string): void {
    if (target instanceof Future && taskMethodMissing(this.asyncio.profile, name)) {
      throw new AttributeError(`'${this.typeName(target)}' object has no attribute '${name}'`);
    }
  }

  getAttr(obj: PyValue, attr: string): PyValue {
    this.checkMethodExists(obj, attr);
    if (obj instanceof BaseException) {
      switch (attr) {
        case 'args':
          return new PyTuple(obj.args);
        case '__cause__':
        case '__context__':
          return obj[attr];
        case '__suppress_context__':
          return obj.__suppress_context__;
        case '__class__':
          return obj.constructor as unknown as PyValue;
      }
    }
    if (typeof obj === 'function') {
      const f = obj as unknown as Record<string, unknown>;
      if (attr === '__name__') return (f.__name__ ?? f.name) as string;
      if (attr === '__qualname__') return (f.__qualname__ ?? f.name) as string;
      if (attr === '__module__') return (f.__module__ ?? 'builtins') as string;
    }
    if (attr === '__class__') return new ClassRef(this.typeName(obj)) as unknown as PyValue;
    if (obj instanceof ClassRef && attr === '__name__') return obj.name;
    if (attr.startsWith('_') && !attr.startsWith('__')) {
      throw new AttributeError(`aiospec: private attribute '${attr}' is not part of the adapter contract`);
    }
    const v = (obj as Record<string, unknown> | null)?.[attr];
    if (v === undefined) throw new AttributeError(`'${this.typeName(obj)}' object has no attribute '${attr}'`);
    if (typeof v === 'function') return this.boundMethod(obj as object, attr) as unknown as PyValue;
    return this.fromRuntime(v);
  }

  private readonly methods = new WeakMap<object, Map<string, BoundMethod>>();
  private boundMethod(target: object, name: string): BoundMethod {
    let byName = this.methods.get(target);
    if (!byName) this.methods.set(target, (byName = new Map()));
    let m = byName.get(name);
    if (!m) byName.set(name, (m = new BoundMethod(target, name)));
    return m;
  }

  iterate(obj: PyValue): Iterable<PyValue> | undefined {
    if (obj instanceof Coroutine || isfuture(obj)) return undefined;
    if (obj instanceof Set || Array.isArray(obj)) return [...obj];
    const it = obj as { [Symbol.iterator]?: () => Iterator<unknown> } | null;
    if (it && typeof it === 'object' && typeof it[Symbol.iterator] === 'function') {
      const self = this;
      return {
        *[Symbol.iterator]() {
          for (const x of it as Iterable<unknown>) yield self.fromRuntime(x);
        },
      };
    }
    return undefined;
  }

  // -- rendering and exceptions ---------------------------------------------------

  repr(obj: PyValue): string {
    // CPython shows an address; the runtime leaves it out (a scenario must not print one anyway).
    if (obj instanceof Coroutine) return `<${obj.kind === 'async' ? 'coroutine' : 'generator'} object ${obj.__qualname__} at ${render.address(obj)}>`;
    return pyRepr(obj);
  }

  str(obj: PyValue): string {
    return pyStr(obj);
  }

  exceptionInfo(obj: PyValue): ExceptionInfo | undefined {
    if (!(obj instanceof BaseException)) return undefined;
    const mro: string[] = [];
    for (let c = obj.constructor as unknown as Record<string, unknown> | null; c && (c as unknown) !== Object; c = Object.getPrototypeOf(c)) {
      if (typeof c.__name__ !== 'string') break;
      mro.push(publicName(c));
    }
    return { type: mro[0], mro, args: obj.args };
  }

  isInstance(obj: PyValue, cls: PyValue): boolean {
    if (typeof cls !== 'function') return false;
    return obj instanceof (cls as unknown as Function);
  }

  newException(type: string, args: PyValue[]): PyValue {
    const cls = this.asyncio.exceptionClass(type);
    if (!cls) return new RuntimeError(`aiospec: unknown exception type ${type}`, ...args);
    return new cls(...args);
  }

  linkException(exc: PyValue, link: { cause?: PyValue | null; context?: PyValue }): void {
    if (!(exc instanceof BaseException)) return;
    if (link.cause !== undefined) {
      exc.__cause__ = link.cause as BaseException | null;
      exc.__suppress_context__ = true;
    }
    if (link.context !== undefined && exc.__context__ === null) exc.__context__ = link.context as BaseException;
  }

  release(obj: PyValue): void {
    try {
      this.free(obj);
    } catch (e) {
      // CPython: an exception in a finalizer is reported ("Exception ignored in ...") and never propagates.
      if (!(e instanceof BaseException)) throw e;
    }
  }

  private free(obj: PyValue): void {
    if (obj instanceof Coroutine) {
      // A coroutine a task already owns is not freed with the program's reference.
      if (obj.state === 'CORO_CREATED' && !this.created.some((t) => (t as unknown as { _coro: unknown })._coro === obj)) {
        obj.dropUnawaited(this.asyncio.warnings);
      }
      return;
    }
    if (obj instanceof Future) {
      // The program's last reference: a done future is freed now ("exception was never retrieved"),
      // a pending one when it completes (the loop's references go with its last step).
      const fut = obj as Future<unknown> & { __del__(): void };
      if (this.freed.has(fut)) return;
      this.freed.add(fut);
      if (fut.done()) fut.__del__();
      else {
        // One loop iteration after its callbacks: whoever awaited it (gather, run's shutdown) has had its turn.
        fut.add_done_callback(() => fut.get_loop().call_soon(() => fut.__del__(), []));
      }
    }
  }

  /**
   * Final states, as the CPython adapter reports them: a task the program
   * still holds is reported as it is now; one it dropped, as it was when it
   * became done (CPython's tracker snapshots then, and the task may be gone).
   */
  tasks(): TaskReport[] {
    return this.created.map((t) => (this.freed.has(t) && this.doneSnapshots.get(t)) || this.snapshot(t));
  }

  private readonly doneSnapshots = new WeakMap<object, TaskReport>();

  private snapshot(t: Task<unknown>): TaskReport {
    const name = this.asyncio.profile.taskNames ? String(t.get_name()) : `Task-${this.taskNumbers.get(t)}`;
    if (!t.done()) return { name, state: 'pending' };
    if (t.cancelled()) return { name, state: 'cancelled' };
    // Peek without retrieving: exception() would mark it retrieved.
    const exc = (t as unknown as { _exception: unknown })._exception ?? null;
    if (exc !== null) return { name, state: 'failed', value: render.repr(exc, this) };
    return { name, state: 'finished', value: render.repr((t as unknown as { _result: unknown })._result, this) };
  }

  /** `type(v).__name__` of a runtime object. */
  private typeName(v: unknown): string {
    const own = isOwnValue(v) ? ownTypeName(v) : undefined;
    if (own) return own;
    if (v instanceof Coroutine) return v.kind === 'async' ? 'coroutine' : 'generator';
    if (v instanceof ConcurrentFuture) return 'Future';
    if (v instanceof LibraryFunction) return 'builtin_function_or_method';
    if (v instanceof BoundMethod) return 'method';
    if (v instanceof FrameObject) return 'frame';
    if (v instanceof ClassRef) return 'type';
    if (v instanceof Thread) return 'Thread';
    if (v instanceof StringIO) return 'StringIO';
    if (typeof v === 'function') return 'type';
    const c = (v as { constructor?: { __name__?: string; name?: string } } | null)?.constructor;
    const n = c?.__name__ ?? c?.name ?? 'object';
    return n === 'BaseEventLoop' ? '_UnixSelectorEventLoop' : n;
  }
}

/** Task/Future methods and the minor version that added them. */

/** Library classes a program can name (`isinstance(f, concurrent.futures.Future)`); calling one goes through `call`. */
const LIBRARY_CLASSES: Record<string, PyValue> = {
  'concurrent.futures.Future': ConcurrentFuture,
  'threading.Thread': Thread,
  'io.StringIO': StringIO,
};

/** Whether a function is an ES class (must be called with `new`). */
function isClass(f: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(f));
}

/** `type(x)` for a non-exception runtime object: only its name is observable. */
class ClassRef {
  constructor(readonly name: string) {}
  __repr__(): string {
    return `<class '${this.name}'>`;
  }
}

/** The INTERPRETING.md type name of a runtime class: builtins bare, `asyncio.X`, `concurrent.futures.X`. */
function publicName(c: Record<string, unknown>): string {
  const name = String(c.__qualname__ ?? c.__name__);
  const mod = String(c.__module__ ?? 'builtins');
  if (mod === 'builtins') return name;
  const pkg = mod.split('.')[0];
  if (pkg === 'concurrent') return `concurrent.futures.${name}`;
  return `${pkg}.${name}`;
}
