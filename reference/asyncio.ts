/**
 * asyncio: the per-profile module object. `createAsyncio({python, clock})`
 * returns an `Asyncio`: one runtime (interpreter state) plus the asyncio
 * functions bound to it.
 *
 * Invariants:
 * - Two Asyncio instances share no mutable state: each has its own runtime
 *   (clock, running loop, policy, Task-N counter, task registries, context,
 *   warnings, logging).
 * - The combinator/threads modules (gather.ts, shield.ts, wait_for.ts, ...)
 *   are attached when present: a module may export `attach(asyncio)`, or a
 *   factory `makeX(runtime)` listed in ATTACH below; a missing module leaves
 *   its slot undefined (a scenario using it reports unsupported).
 */

import { makeGather } from './gather';
import { makeShield } from './shield';
import { makeWaitFor } from './wait_for';
import { makeWait, attach as attachWait } from './wait';
import { makeAsCompleted } from './as_completed';
import { makeToThread, attach as attachToThread } from './to_thread';
import { makeRunCoroutineThreadsafe } from './run_coroutine_threadsafe';
import { makeTaskGroup } from './taskgroups';
import { makeTimeout, makeTimeoutAt, attach as attachTimeouts } from './timeouts';
import { Clock, Scheduler, VirtualClock, VirtualScheduler } from './clock';
import { contextvarsModule, ContextvarsModule } from './contextvars';
import { asyncDef, Coroutine, CoroBody, CoroutineFunction, iscoroutine, iscoroutinefunction, legacyCoroutine, CodeInfo } from './coroutines';
import {
  AbstractEventLoop, Runtime, get_event_loop, get_running_loop, new_event_loop, set_event_loop, _get_running_loop,
} from './events';
import { asyncioExceptions, AsyncioExceptions, exceptionClass, ExceptionClass } from './exceptions';
import { Future, isfuture, wrap_future } from './futures';
import { BaseEventLoop } from './base_events';
import { makeRun, RunOptions } from './runners';
import { Task, all_tasks, create_task, current_task, ensure_future, makeSleep, eager_task_factory, taskInitKeywordError } from './tasks';
import { DEFAULT_PYTHON, Profile, profileFor } from './versions';
import { LoggingChannel, WarningsChannel } from './warnings';
import type { Context } from './contextvars';

export interface AsyncioOptions {
  /** '3.7' ... '3.14'; default DEFAULT_PYTHON ('3.10'). */
  python?: string;
  /** The clock; default a fresh VirtualClock at 0.0. */
  clock?: Clock;
  /** The idle hook; default VirtualScheduler on the clock (the threads helper passes a ThreadScheduler). */
  scheduler?: Scheduler | ((runtime: Runtime) => Scheduler);
}

type AnyFn = (...args: any[]) => any;

/** The asyncio module of one runtime. */
export interface Asyncio {
  readonly runtime: Runtime;
  readonly profile: Profile;
  readonly version: string;
  readonly warnings: WarningsChannel;
  readonly logger: LoggingChannel;
  readonly contextvars: ContextvarsModule;
  readonly exceptions: AsyncioExceptions;
  readonly CancelledError: ExceptionClass;
  readonly TimeoutError: ExceptionClass;
  readonly InvalidStateError: ExceptionClass;
  /** The idle hook in use (a ThreadScheduler when threads are attached). */
  readonly scheduler: Scheduler;
  readonly Future: typeof Future;
  readonly Task: typeof Task;
  /** `async def` */
  asyncDef: typeof asyncDef;
  run(main: unknown, options?: RunOptions): unknown;
  sleep(delay: number, result?: unknown, options?: { loop?: unknown }): Coroutine<unknown>;
  create_task(coro: Coroutine<unknown>, options?: { name?: unknown; context?: Context | null }): Task<unknown>;
  ensure_future(obj: unknown, options?: { loop?: AbstractEventLoop | null }): Future<unknown>;
  current_task(loop?: AbstractEventLoop | null): Task<unknown> | null;
  all_tasks(loop?: AbstractEventLoop | null): Set<Task<unknown>>;
  get_running_loop(): AbstractEventLoop;
  get_event_loop(): AbstractEventLoop;
  set_event_loop(loop: AbstractEventLoop | null): void;
  new_event_loop(): AbstractEventLoop;
  /** asyncio.Future(loop=None) */
  newFuture(options?: { loop?: AbstractEventLoop | null }): Future<unknown>;
  /** asyncio.Task(coro, loop=None, name=None, context=None) */
  newTask(coro: Coroutine<unknown>, options?: { loop?: AbstractEventLoop | null; name?: unknown; context?: Context | null }): Task<unknown>;
  isfuture(obj: unknown): boolean;
  iscoroutine(obj: unknown): boolean;
  iscoroutinefunction(fn: unknown): boolean;
  /** @asyncio.coroutine (3.7-3.10; AttributeError from 3.11). */
  coroutine<A extends unknown[], R>(fn: (...args: A) => CoroBody<R>, code?: CodeInfo): CoroutineFunction<A, R>;
  wrap_future(fut: unknown, options?: { loop?: AbstractEventLoop | null }): Future<unknown>;
  /** asyncio.eager_task_factory (3.12+). */
  eager_task_factory?: typeof eager_task_factory;
  /** Look an exception class up by Python name for this profile. */
  exceptionClass(name: string): ExceptionClass | undefined;
  // Slots the combinators/threads helper fills (see ATTACH).
  gather?: AnyFn;
  shield?: AnyFn;
  wait_for?: AnyFn;
  wait?: AnyFn;
  as_completed?: AnyFn;
  to_thread?: AnyFn;
  run_coroutine_threadsafe?: AnyFn;
  TaskGroup?: unknown;
  timeout?: AnyFn;
  timeout_at?: AnyFn;
  Timeout?: unknown;
  FIRST_COMPLETED?: string;
  FIRST_EXCEPTION?: string;
  ALL_COMPLETED?: string;
  [slot: string]: unknown;
}

/**
 * The combinator and thread modules: each slot's factory gets the runtime
 * and the module object (gather needs shield's runtime, wait_for needs
 * timeouts...), then three modules attach constants and helpers.
 */
const ATTACH: ReadonlyArray<readonly [string, (rt: Runtime, a: Asyncio) => unknown]> = [
  ['gather', makeGather],
  ['shield', makeShield],
  ['wait_for', makeWaitFor],
  ['wait', makeWait],
  ['as_completed', makeAsCompleted],
  ['to_thread', makeToThread],
  ['run_coroutine_threadsafe', makeRunCoroutineThreadsafe],
  ['TaskGroup', makeTaskGroup],
  ['timeout', makeTimeout],
  ['timeout_at', makeTimeoutAt],
];
const ATTACH_HOOKS: ReadonlyArray<(a: Asyncio) => void> = [attachWait, attachToThread, attachTimeouts];

/** Create the asyncio module for a profile, on its own runtime. */
export function createAsyncio(options: AsyncioOptions = {}): Asyncio {
  const profile = profileFor(options.python ?? DEFAULT_PYTHON);
  const clock = options.clock ?? new VirtualClock();
  let runtimeRef: Runtime | null = null;
  const now = () => (runtimeRef ? runtimeRef.clock.time() : clock.time());
  const warnings = new WarningsChannel(now);
  const logger = new LoggingChannel(now);
  const exceptions = asyncioExceptions(profile);
  const placeholder = clock instanceof VirtualClock ? new VirtualScheduler(clock) : new VirtualScheduler(new VirtualClock());
  const runtime = new Runtime({ profile, scheduler: placeholder as Scheduler, warnings, logger, exceptions });
  runtimeRef = runtime;
  if (typeof options.scheduler === 'function') runtime.scheduler = options.scheduler(runtime);
  else if (options.scheduler) runtime.scheduler = options.scheduler;
  else if (!(clock instanceof VirtualClock)) {
    // A clock with its own waiting (RealClock) is its own idle hook.
    const s = clock as unknown as Scheduler;
    if (typeof s.block === 'function') runtime.scheduler = s;
    else throw new TypeError('a non-virtual clock must implement Scheduler (block) or come with a scheduler');
  }
  runtime.loopFactory = (rt) => new BaseEventLoop(rt);

  const sleep = makeSleep(runtime);
  let asyncio!: Asyncio;
  const run = makeRun(runtime);

  asyncio = {
    runtime, profile, version: profile.version, warnings, logger,
    contextvars: contextvarsModule(runtime.contexts),
    exceptions,
    CancelledError: exceptions.CancelledError,
    TimeoutError: exceptions.TimeoutError,
    InvalidStateError: exceptions.InvalidStateError,
    get scheduler() { return runtime.scheduler; },
    Future, Task, asyncDef,
    run,
    sleep,
    create_task: (coro, o = {}) => create_task(runtime, coro, o),
    ensure_future: (obj, o = {}) => ensure_future(runtime, obj, o.loop ?? null),
    current_task: (loop = null) => current_task(runtime, loop),
    all_tasks: (loop = null) => all_tasks(runtime, loop),
    get_running_loop: () => get_running_loop(runtime),
    get_event_loop: () => get_event_loop(runtime),
    set_event_loop: (loop) => set_event_loop(runtime, loop),
    new_event_loop: () => new_event_loop(runtime),
    newFuture: (o = {}) => new Future({ loop: o.loop ?? null, runtime }),
    newTask: (coro, o = {}) => {
      // asyncio.Task(coro, *, loop=None, name=None, context=None): name= from 3.8, context= from 3.11.
      const refused = taskInitKeywordError(runtime.profile, o);
      if (refused !== null) throw refused;
      return new Task(coro, { loop: o.loop ?? null, runtime, name: o.name, context: o.context ?? null });
    },
    isfuture,
    iscoroutine: (obj) => iscoroutine(obj, profile),
    iscoroutinefunction: (fn: unknown) => {
      if (profile.iscoroutinefunctionDeprecated) {
        warnings.warn("'asyncio.iscoroutinefunction' is deprecated and slated for removal in Python 3.16; use inspect.iscoroutinefunction() instead", exceptionClass('DeprecationWarning', profile)!);
      }
      return iscoroutinefunction(fn);
    },
    coroutine: (fn, code) => legacyCoroutine(profile, warnings, fn, code),
    wrap_future: (fut, o = {}) => wrap_future(runtime, fut as Future<unknown>, o.loop ?? null),
    exceptionClass: (name) => exceptionClass(name, profile),
  } as Asyncio;
  if (profile.eagerTasks) asyncio.eager_task_factory = eager_task_factory;

  for (const [slot, factory] of ATTACH) asyncio[slot] = factory(runtime, asyncio);
  for (const attach of ATTACH_HOOKS) attach(asyncio);
  return asyncio;
}

export { _get_running_loop };
