/**
 * The in-process adapter interface: what a JavaScript/TypeScript asyncio
 * runtime implements so that the harness can run scenarios on it.
 *
 * Division of labour. The harness's interpreter (conformance/interpreter/)
 * owns the *language*: variables, control flow, arithmetic, ints/floats/
 * strs/lists/tuples/dicts, `print`, f-strings and `repr` of those values.
 * The implementation owns the *asyncio world*: coroutine objects, the event
 * loop and its clock, tasks, futures, threads, contextvars, warnings, and
 * every exception object (so that one class hierarchy serves both
 * `except ValueError` in the program and `return_exceptions=True` in
 * `gather`). Values of the implementation are opaque to the interpreter; it
 * only passes them back.
 *
 * Suspension. Function bodies of the program are JavaScript generators run
 * by the interpreter. A body `yield`s in two cases:
 * - `await x` in a coroutine: it yields `x` (an awaitable the implementation
 *   gave it: a coroutine object, a Task, a Future, ...). The implementation
 *   awaits it and resumes the body with `next(result)` or `throw(exception)`.
 * - a blocking call (`time.sleep`, `concurrent.futures.Future.result`,
 *   `Thread.join`, and `asyncio.run` itself): the implementation returned a
 *   {@link Suspend} from {@link Session.call}; the body yields it unchanged
 *   and gets the call's result (or exception) back the same way.
 *
 * An implementation built on native async/await drives a body with a loop
 * like `for (let r = gen.next(); !r.done; ) { try { r = gen.next(await
 * resolve(r.value)) } catch (e) { r = gen.throw(e) } }` inside an `async
 * function`, which is then its coroutine; Suspend requests are awaited the
 * same way. The reference adapter instead delegates with `yield*` to its
 * generator-based coroutines. Neither needs the other's internals.
 */
import type { TraceEvent, TaskReport } from '../results';

/** Any Python value: bigint (int), number (float), string, boolean, null (None), PyList/PyTuple/PyDict (see interpreter/values.ts), ProgramFunction, or an implementation's opaque object. */
export type PyValue = unknown;
export type Kwargs = Record<string, PyValue>;

/** A call that must suspend the calling body until the implementation resumes it. */
export class Suspend {
  constructor(readonly request: unknown) {}
}

/** A body in progress: yields awaitables or Suspend requests, returns the function's value. */
export type BodyRun = Generator<unknown, PyValue, PyValue>;

/** A function defined by the scenario program, handed to the implementation (callbacks, thread targets, coroutine functions). */
export interface ProgramFunction {
  readonly kind: 'function' | 'coroutine' | 'generator';
  /** `__qualname__`, as CPython shows it in reprs and warnings. */
  readonly name: string;
  /** Binds the arguments (raising the implementation's TypeError when they do not fit) and returns the body, not yet started. */
  start(args: PyValue[], kwargs: Kwargs): BodyRun;
  /**
   * Optional: where the compiled program defines it, as CPython's code object
   * says: `co_filename` (`<scenario>`) and `co_firstlineno` (the `def` line, or
   * its decorator's). Given only to sessions that implement {@link Session.setLine}.
   */
  readonly code?: CodeLocation;
}

/** A function's place in the compiled program (see spec/ADAPTERS.md, "Frames and line numbers"). */
export interface CodeLocation {
  readonly filename: string;
  readonly firstlineno: number;
}

/** Where events go; the implementation stamps them with its virtual time. */
export interface EventSink {
  emit(event: TraceEvent): void;
}

export interface ImplementationInfo {
  /** e.g. `aiospec-reference`, `cpython`, `pyodide`. */
  name: string;
  version: string;
  /** Python versions it can behave as, e.g. ["3.7", ..., "3.14"], or the one it is. */
  pythons: string[];
  /** Capability names from spec/capabilities.yaml. */
  capabilities: string[];
}

/** Facts about an exception object, enough for `except`, `isinstance`, `repr` and `str`. */
export interface ExceptionInfo {
  /** Type name as INTERPRETING.md defines it (`ValueError`, `asyncio.CancelledError`). */
  type: string;
  /** Type names of its classes, most derived first (`['asyncio.CancelledError', 'BaseException']`). */
  mro: string[];
  args: PyValue[];
}

export interface InProcessAdapter {
  info(): ImplementationInfo;
  /** A fresh, isolated world for one scenario, behaving as Python `python` ("3.10"). */
  open(python: string, sink: EventSink): Session;
}

export interface Session {
  /** The virtual clock, in seconds. */
  time(): number;

  /**
   * Runs the module-level code as the main thread to its end, serving its
   * Suspend requests. Resolves when the body returns; rejects with the
   * implementation's exception object when it raises, or with
   * {@link DeadlockError} when nothing can ever progress.
   */
  main(body: () => BodyRun): Promise<void>;

  /** Calls a coroutine function (or `@asyncio.coroutine` generator function) of the program: returns the coroutine object, running nothing. */
  coroutine(fn: ProgramFunction, args: PyValue[], kwargs: Kwargs): PyValue;

  /**
   * A library name as a value: `asyncio.CancelledError`, `ValueError`,
   * `asyncio.FIRST_COMPLETED`, `time.sleep`. Throws the implementation's
   * NameError/AttributeError when the profile has no such name.
   */
  name(dotted: string): PyValue;

  /**
   * Calls a library callable (`asyncio.gather`, `ValueError`, `time.sleep`,
   * `threading.Thread`, `contextvars.ContextVar`) or, with `target` given,
   * the method `callee` of that object (`task.cancel`). May return a Suspend.
   */
  call(callee: string, args: PyValue[], kwargs: Kwargs, target?: PyValue): PyValue | Suspend;

  /** `obj.attr` for objects of the implementation (`exc.args`, `fut._state` is not allowed). */
  getAttr(obj: PyValue, attr: string): PyValue;

  /** Iterates an implementation object (a set from `wait`, the iterator of `as_completed`, `all_tasks()`); undefined if it is not iterable. */
  iterate(obj: PyValue): Iterable<PyValue> | undefined;

  /** `repr()` / `str()` of an implementation object. */
  repr(obj: PyValue): string;
  str(obj: PyValue): string;

  /** Whether `obj` is an exception of this implementation, and its facts. */
  exceptionInfo(obj: PyValue): ExceptionInfo | undefined;
  /** `isinstance(obj, cls)` where `cls` came from {@link name}; also used for `except` clauses. */
  isInstance(obj: PyValue, cls: PyValue): boolean;
  /** Makes an exception the interpreter itself must raise (`ZeroDivisionError`, `NameError`, `TypeError`, ...). */
  newException(type: string, args: PyValue[]): PyValue;

  /**
   * Optional. The program defines `fn` (called once per function at module
   * start, in definition order): where CPython runs `def` and its decorators.
   * `@asyncio.coroutine` (kind 'generator') warns here on 3.8–3.10 and raises
   * AttributeError from 3.11.
   */
  define?(fn: ProgramFunction): void;

  /**
   * Optional. The coroutine body now executing (a body of a coroutine or
   * `@asyncio.coroutine` function of the program, started through
   * {@link coroutine} or a function handed to the implementation; never a
   * plain function's or the module's) is at `line` of the compiled program.
   * The interpreter calls it as the line changes, before the statement there
   * runs, so it is current whenever the body suspends or raises: the line a
   * suspended coroutine shows (`coro=<child() running at <scenario>:5>`,
   * `Task.get_stack()`), and the line its frame ends at when an exception
   * leaves it (a failed task's stack). Until the first call a coroutine is at
   * its function's `code.firstlineno`. Implementations without it show no lines.
   */
  setLine?(line: number): void;

  /**
   * Optional. The program raised `exc` with `raise exc from cause` (`cause`
   * null: `from None`) and/or while handling `context`: set `__cause__`,
   * `__suppress_context__` and `__context__` as CPython's `raise` does.
   * Implementations without it simply do not chain exceptions raised by the program.
   */
  linkException?(exc: PyValue, link: { cause?: PyValue | null; context?: PyValue }): void;

  /** The program dropped the last reference to `obj` (an expression statement's value, `del x`, a rebound name). CPython's refcounting acts here: a coroutine never awaited warns. */
  release(obj: PyValue): void;

  /** After main(): the final state of every task created during the run, in creation order. */
  tasks(): TaskReport[];
}

/** Raised by Session.main when every participant is blocked for ever. */
export class DeadlockError extends Error {
  constructor(detail = 'every participant is blocked and nothing can wake one') {
    super(`deadlock: ${detail}`);
    this.name = 'DeadlockError';
  }
}
