/**
 * Simulated threads on the virtual clock (spec/VIRTUAL-TIME.md).
 *
 * Invariants, stated once:
 *
 * - Exactly one participant runs at a time: the main thread (the real JS
 *   stack, which runs module-level code and the event loop) or one simulated
 *   thread (a generator driven by {@link ThreadScheduler}).
 * - A simulated thread blocks by *yielding* a {@link Blocking} request
 *   (`yield* timeSleepGen(s, 1)`); the main thread blocks by *calling*
 *   {@link ThreadScheduler.blockMain}, which is the only place threads are
 *   resumed. So threads run only while the main thread is blocked, and the
 *   main thread blocks at least once per event-loop iteration (its select).
 * - The clock moves only in `blockMain`, only when every participant is
 *   blocked, and only to the earliest deadline among their waits.
 * - A wait that can never be satisfied ends the scenario with {@link Deadlock}.
 *
 * Python names: `threading.Thread` is {@link Thread}, `time.sleep` is
 * {@link timeSleep} (main thread) / {@link timeSleepGen} (threads),
 * `threading.current_thread` is `scheduler.current`. Every blocking call has
 * a generator form `xGen` for threads and a synchronous form `x` that only
 * the main thread may call.
 */
import { RuntimeError, ValueError } from "./exceptions";
import { isGenerator } from "./coroutines";

import { Clock, Deadlock, Scheduler } from "./clock";

export { Deadlock };

/** The clock the scheduler reads and advances (injected; see clock.ts). */
export interface SchedulerClock extends Clock {
  /** Move the clock forward to exactly `t` (never called with t < time()). */
  advanceTo(t: number): void;
}

/**
 * Something a participant can wait on: a concurrent future becoming done,
 * a thread ending, the loop's self-pipe. `notify()` re-checks every waiter's
 * predicate; waits whose predicate holds become satisfied in the order they
 * began.
 */
export class Channel {
  /** @internal */ waits: Wait[] = [];
  constructor(readonly scheduler: ThreadScheduler) {}
  notify(): void {
    this.scheduler.notify(this);
  }
}

/**
 * A blocking request. `timeout` null means no deadline. `ready` is the
 * condition the participant waits for (absent for a plain sleep). The
 * participant is resumed with `true` when `ready()` became true, `false`
 * when the deadline was reached first.
 */
export class Blocking {
  constructor(
    readonly timeout: number | null,
    readonly channel: Channel | null = null,
    readonly ready: (() => boolean) | null = null,
  ) {}
}

/** A generator that may block: what thread bodies and blocking calls are. */
export type BlockingGen<T = unknown> = Generator<Blocking, T, boolean>;

/** @internal */
export class Wait {
  satisfied = false;
  timedOut = false;
  constructor(
    readonly participant: Participant,
    readonly deadline: number | null,
    readonly seq: number,
    readonly channel: Channel | null,
    readonly ready: (() => boolean) | null,
  ) {}
}

/** The main thread or a simulated thread. */
export type Participant = MainThread | Thread;

export class MainThread {
  readonly name = "MainThread";
  readonly daemon = false;
  readonly ident = 0;
  is_alive(): boolean {
    return true;
  }
}

/** What the scheduler needs to swap contextvars contexts per participant. */
export interface ContextSwitch {
  get(): unknown;
  set(ctx: unknown): void;
  /** Fresh state for a new thread (Python threads start with an empty context). */
  fresh(thread: Thread): unknown;
}

export interface SchedulerOptions {
  clock: SchedulerClock;
  /** Python version as [major, minor], for thread-name formats. */
  version?: readonly [number, number];
  contexts?: ContextSwitch;
  /** threading.excepthook: called with a thread's uncaught exception. */
  excepthook?: (thread: Thread, exc: unknown) => void;
}

export class ThreadScheduler implements Scheduler {
  readonly clock: SchedulerClock;
  readonly version: readonly [number, number];
  readonly main = new MainThread();
  /** `threading.current_thread()`. */
  current: Participant = this.main;
  /** Uncaught exceptions of threads, in the order they happened. */
  readonly threadExceptions: Array<{ thread: Thread; exc: unknown }> = [];
  /** How participant switches swap runtime state (installThreads sets it). */
  contexts: ContextSwitch | undefined;
  private readonly excepthook: ((thread: Thread, exc: unknown) => void) | undefined;
  /** Satisfied thread waits, in the order they became satisfied. */
  private readonly readyQueue: Wait[] = [];
  /** Unsatisfied waits that carry a deadline, main's included. */
  private readonly timed = new Set<Wait>();
  private seq = 0;
  /** threading._counter: numbers "Thread-N" names. */
  private nameCounter = 0;
  /** Threads started and not yet ended. */
  readonly alive = new Set<Thread>();

  constructor(options: SchedulerOptions) {
    this.clock = options.clock;
    this.version = options.version ?? [3, 11];
    this.contexts = options.contexts;
    this.excepthook = options.excepthook;
  }

  private executorCounter = 0;
  /** @internal ThreadPoolExecutor._counter (names "ThreadPoolExecutor-K_N"). */
  nextExecutorNumber(): number {
    return this.executorCounter++;
  }

  /** @internal threading._newname */
  newName(): number {
    return ++this.nameCounter;
  }

  /** True when no thread exists or could run: the select fast path. */
  get idle(): boolean {
    return this.alive.size === 0 && this.readyQueue.length === 0;
  }

  /**
   * Block the main thread on `req` (a blocking call made on the main
   * thread). Returns true if satisfied by its condition, false by its
   * deadline.
   */
  blockMain(req: Blocking): boolean {
    const deadline = req.timeout === null ? null : this.clock.time() + req.timeout;
    const ready = req.ready ?? (() => false);
    return this.blockMainUntil(deadline, ready);
  }

  /**
   * clock.ts's idle hook: the loop's select. `deadline` is absolute
   * (`now + timeout`, CPython's arithmetic), null for none.
   */
  block(deadline: number | null, isSatisfied: () => boolean): void {
    if (this.idle) {
      // Fast path: no thread can ever run, so the schedule reduces to this.
      if (isSatisfied()) return;
      if (deadline === null) throw new Deadlock();
      if (deadline > this.clock.time()) this.clock.advanceTo(deadline);
      return;
    }
    this.blockMainUntil(deadline, isSatisfied);
  }

  /**
   * The schedule of spec/VIRTUAL-TIME.md, seen from the blocked main thread:
   * (1) run every satisfied thread, in order; (2) return if main's wait is
   * satisfied; (3) else jump the clock to the earliest deadline, satisfy
   * what is due, repeat; (4) no deadline at all: Deadlock. Main's condition
   * is polled (it only matters at step 2), threads' are notified.
   */
  private blockMainUntil(deadline: number | null, ready: () => boolean): boolean {
    if (this.current !== this.main) {
      throw new Error("blockMain called from a simulated thread: yield the Blocking request instead");
    }
    const wait = new Wait(this.main, deadline, this.seq++, null, ready);
    if (deadline !== null) {
      if (deadline <= this.clock.time()) this.satisfy(wait, true);
      else this.timed.add(wait);
    }
    try {
      for (;;) {
        this.runSatisfiedThreads();
        if (ready()) return true;
        if (wait.satisfied) return false;
        this.advanceToNextDeadline();
      }
    } finally {
      this.forget(wait);
    }
  }

  /** Re-check the waits on `channel`; satisfy those whose condition holds. */
  notify(channel: Channel): void {
    const now = channel.waits.filter((w) => !w.satisfied && (w.ready === null || w.ready()));
    if (now.length === 0) return;
    now.sort((a, b) => a.seq - b.seq);
    for (const w of now) this.satisfy(w, false);
  }

  /** @internal Thread.start(): a newly started thread counts as satisfied. */
  spawn(thread: Thread): void {
    this.alive.add(thread);
    const w = new Wait(thread, null, this.seq++, null, null);
    this.satisfy(w, false);
  }

  private begin(p: Participant, req: Blocking): Wait {
    const now = this.clock.time();
    const deadline = req.timeout === null ? null : now + req.timeout;
    const w = new Wait(p, deadline, this.seq++, req.channel, req.ready);
    if (req.ready !== null && req.ready()) {
      this.satisfy(w, false);
    } else if (deadline !== null && deadline <= now) {
      this.satisfy(w, true);
    } else {
      if (req.channel) req.channel.waits.push(w);
      if (deadline !== null) this.timed.add(w);
    }
    return w;
  }

  private forget(w: Wait): void {
    this.timed.delete(w);
    if (w.channel) {
      const i = w.channel.waits.indexOf(w);
      if (i >= 0) w.channel.waits.splice(i, 1);
    }
  }

  private satisfy(w: Wait, timedOut: boolean): void {
    if (w.satisfied) return;
    w.satisfied = true;
    w.timedOut = timedOut;
    this.forget(w);
    if (w.participant !== this.main) this.readyQueue.push(w);
  }

  private runSatisfiedThreads(): void {
    while (this.readyQueue.length > 0) {
      const w = this.readyQueue.shift()!;
      (w.participant as Thread)._resume(!w.timedOut);
    }
  }

  private advanceToNextDeadline(): void {
    let earliest: number | null = null;
    for (const w of this.timed) {
      if (earliest === null || (w.deadline as number) < earliest) earliest = w.deadline;
    }
    if (earliest === null) {
      const blocked = [...this.alive].map((t) => t.name);
      throw new Deadlock(
        blocked.length === 0
          ? "deadlock: the main thread waits with no deadline and nothing can wake it"
          : `deadlock: the main thread and threads ${JSON.stringify(blocked)} all wait with no deadline`,
      );
    }
    if (earliest > this.clock.time()) this.clock.advanceTo(earliest);
    const now = this.clock.time();
    const due = [...this.timed].filter((w) => (w.deadline as number) <= now);
    due.sort((a, b) => (a.deadline as number) - (b.deadline as number) || a.seq - b.seq);
    for (const w of due) this.satisfy(w, true);
  }

  /** @internal run `thread` until it blocks or ends. */
  runThread(thread: Thread, step: () => IteratorResult<Blocking, unknown>): void {
    const prev = this.current;
    const prevCtx = this.contexts?.get();
    this.current = thread;
    if (this.contexts) this.contexts.set(thread._context);
    let r: IteratorResult<Blocking, unknown> | undefined;
    let failed = false;
    let error: unknown;
    try {
      r = step();
    } catch (e) {
      failed = true;
      error = e;
    } finally {
      if (this.contexts) {
        thread._context = this.contexts.get();
        this.contexts.set(prevCtx);
      }
      this.current = prev;
    }
    if (failed) {
      if (error instanceof Deadlock) throw error;
      this.threadExceptions.push({ thread, exc: error });
      this.excepthook?.(thread, error);
      thread._end();
    } else if (r!.done) {
      thread._end();
    } else {
      const req = r!.value;
      if (!(req instanceof Blocking)) {
        throw new TypeError(`a simulated thread yielded ${String(req)}, not a Blocking request`);
      }
      thread._waiting = this.begin(thread, req);
    }
  }

  /** @internal called when a thread ends. */
  ended(thread: Thread): void {
    this.alive.delete(thread);
  }

  /**
   * Interpreter exit (threading._shutdown): join every non-daemon thread.
   */
  shutdown(): void {
    for (;;) {
      const t = [...this.alive].find((x) => !x.daemon);
      if (!t) return;
      runBlocking(this, t.joinGen());
    }
  }
}

/**
 * Drive a blocking generator to completion on the current participant when
 * that is the main thread (e.g. `time.sleep` inside a coroutine, or in
 * module-level code): each request blocks the main thread.
 */
export function runBlocking<T>(scheduler: ThreadScheduler, gen: BlockingGen<T>): T {
  let r = gen.next(true);
  while (!r.done) {
    const sent = scheduler.blockMain(r.value);
    r = gen.next(sent);
  }
  return r.value;
}

/**
 * `time.sleep(seconds)` as a blocking generator (the form a simulated
 * thread uses: `yield* timeSleepGen(s, 1)`).
 */
export function* timeSleepGen(scheduler: ThreadScheduler, seconds: number): BlockingGen<void> {
  if (seconds < 0) throw new ValueError("sleep length must be non-negative");
  yield new Blocking(seconds);
}

/**
 * `time.sleep(seconds)` on the main thread: blocks it for `seconds` of
 * virtual time while threads run. Inside a coroutine this stalls the loop,
 * as on CPython.
 */
export function timeSleep(scheduler: ThreadScheduler, seconds: number): void {
  syncBlocking(scheduler, "time.sleep", timeSleepGen(scheduler, seconds));
}

/**
 * The synchronous form of a blocking call: allowed on the main thread only
 * (a simulated thread cannot suspend a JS stack; it must `yield*` the
 * generator form).
 */
export function syncBlocking<T>(scheduler: ThreadScheduler, what: string, gen: BlockingGen<T>): T {
  if (scheduler.current !== scheduler.main) {
    throw new Error(`${what}: a simulated thread must use the generator form (yield* ...Gen())`);
  }
  return runBlocking(scheduler, gen);
}

export type ThreadTarget = (...args: any[]) => unknown;

export interface ThreadOptions {
  target?: ThreadTarget | null;
  name?: string | null;
  args?: unknown[];
  kwargs?: Record<string, unknown> | null;
  daemon?: boolean | null;
}

/** The `__name__` of a target: `pythonName` if the runtime set one. */
function functionName(f: ThreadTarget): string {
  return (f as any).pythonName ?? (f.name || "<lambda>");
}

/**
 * `threading.Thread`. The target is called on the new thread with
 * `(...args, kwargs)` when kwargs is non-empty, else `(...args)`. A target
 * that returns a generator runs as that generator (it may block by yielding
 * {@link Blocking} requests); any other return value ends the thread.
 */
export class Thread {
  readonly target: ThreadTarget | null;
  readonly args: unknown[];
  readonly kwargs: Record<string, unknown> | null;
  name: string;
  daemon: boolean;
  /** @internal */ _context: unknown;
  /** @internal */ _waiting: Wait | null = null;
  private started = false;
  private finished = false;
  private gen: Generator<unknown, unknown, unknown> | null = null;
  /** Notified when the thread ends (Thread.join waits on it). */
  readonly endedChannel: Channel;

  constructor(readonly scheduler: ThreadScheduler, options: ThreadOptions = {}) {
    this.target = options.target ?? null;
    this.args = options.args ?? [];
    this.kwargs = options.kwargs ?? null;
    if (options.name != null) {
      this.name = String(options.name);
    } else {
      this.name = `Thread-${scheduler.newName()}`;
      // 3.10+ (bpo-44104): "Thread-N (target)"
      const [maj, min] = scheduler.version;
      if (this.target && (maj > 3 || min >= 10)) this.name += ` (${functionName(this.target)})`;
    }
    const cur = scheduler.current;
    this.daemon = options.daemon ?? cur.daemon;
    this.endedChannel = new Channel(scheduler);
  }

  /** threading.Thread.start */
  start(): void {
    if (this.started) throw new RuntimeError("threads can only be started once");
    this.started = true;
    this._context = this.scheduler.contexts?.fresh(this);
    this.scheduler.spawn(this);
  }

  /** threading.Thread.run: override point; calls the target. */
  run(): unknown {
    if (!this.target) return undefined;
    const hasKw = this.kwargs && Object.keys(this.kwargs).length > 0;
    return hasKw ? this.target(...this.args, this.kwargs) : this.target(...this.args);
  }

  is_alive(): boolean {
    return this.started && !this.finished;
  }

  /**
   * threading.Thread.join(timeout) as a blocking generator (in a simulated
   * thread: `yield* t.joinGen()`).
   */
  *joinGen(timeout: number | null = null): BlockingGen<void> {
    if (!this.started) throw new RuntimeError("cannot join thread before it is started");
    if (this.scheduler.current === this) throw new RuntimeError("cannot join current thread");
    if (this.finished) return;
    // threading: a negative timeout is treated as 0.
    const t = timeout === null ? null : Math.max(0, timeout);
    yield new Blocking(t, this.endedChannel, () => this.finished);
  }

  /** threading.Thread.join(timeout) on the main thread. */
  join(timeout: number | null = null): void {
    syncBlocking(this.scheduler, "Thread.join", this.joinGen(timeout));
  }

  /** @internal resume after a satisfied wait (or the first start). */
  _resume(satisfiedByEvent: boolean): void {
    this._waiting = null;
    if (this.gen === null) {
      this.scheduler.runThread(this, () => {
        const r = this.run();
        if (isGenerator(r)) {
          this.gen = r;
          return this.gen.next(undefined) as IteratorResult<Blocking, unknown>;
        }
        return { done: true, value: r };
      });
    } else {
      const gen = this.gen;
      this.scheduler.runThread(this, () => gen.next(satisfiedByEvent) as IteratorResult<Blocking, unknown>);
    }
  }

  /** @internal */
  _end(): void {
    this.finished = true;
    this.gen = null;
    this.scheduler.ended(this);
    this.endedChannel.notify();
  }

  toString(): string {
    const state = !this.started ? "initial" : this.finished ? "stopped" : "started";
    return `<Thread(${this.name}, ${state}${this.daemon ? " daemon" : ""})>`;
  }
}

/** The `threading` and `time` functions a program uses, bound to one scheduler. */
export interface ThreadingModule {
  readonly scheduler: ThreadScheduler;
  /** threading.Thread(target=, args=, kwargs=, name=, daemon=) */
  Thread(options?: ThreadOptions): Thread;
  /** threading.current_thread() */
  current_thread(): Participant;
  /** threading.main_thread() */
  main_thread(): MainThread;
  /** time.sleep(seconds) on the main thread. */
  sleep(seconds: number): void;
  /** time.sleep(seconds) in a simulated thread: `yield* threading.sleepGen(s)`. */
  sleepGen(seconds: number): BlockingGen<void>;
}

export function threadingModule(scheduler: ThreadScheduler): ThreadingModule {
  return {
    scheduler,
    Thread: (options = {}) => new Thread(scheduler, options),
    current_thread: () => scheduler.current,
    main_thread: () => scheduler.main,
    sleep: (seconds) => timeSleep(scheduler, seconds),
    sleepGen: (seconds) => timeSleepGen(scheduler, seconds),
  };
}
