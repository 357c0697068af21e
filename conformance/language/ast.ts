/**
 * The scenario language, as data.
 *
 * These types are the single description of what a loaded scenario looks
 * like; `spec/scenario.schema.json` says the same thing for YAML authors and
 * `spec/INTERPRETING.md` says what each form means. Every form maps one-to-one
 * onto a Python construct (given after each type), which is what lets a
 * scenario compile to a readable Python program with no extra awaits or loop
 * iterations (see conformance/python/compiler.ts).
 *
 * Conventions that hold everywhere:
 * - An expression written as a YAML mapping has exactly one *operator* key,
 *   plus the operator's own option keys (Python keyword arguments).
 * - `$name` is a variable and `$name.attr.attr` reads attributes of it
 *   (`$fut.set_result` is the bound method, `$e.args` the exception's args);
 *   any other YAML string is a `str` literal. A literal string that starts
 *   with `$` is written `{str: "$..."}`.
 * - In `program`, a YAML integer is a Python `int` (held as a bigint) and a
 *   YAML float (`1.0`, `1e-05`, `.inf`) is a Python `float` (the loader turns
 *   it into `{float: n}` so that `1.0` stays a float).
 * - A YAML sequence in expression position is a Python list literal.
 */

// ---------------------------------------------------------------------------
// Scenario file

/** One scenario: a program plus its expected observable behaviour. */
export interface Scenario {
  /** Stable, unique, `area.slug` form: `gather.results-in-argument-order`. */
  id: string;
  title: string;
  description?: string;
  /** Catalogue IDs (spec/catalogue.yaml) this scenario gives evidence for. */
  covers: string[];
  /** Python versions the scenario holds for, e.g. ">=3.7", ">=3.8,<3.11". */
  python: string;
  /** `documented`: promised by the docs. `cpython-detail`: what CPython happens to do. */
  strictness: 'documented' | 'cpython-detail';
  /** Capabilities an implementation must declare (spec/capabilities.yaml). */
  requires?: string[];
  tags?: string[];
  program: Program;
  /** One expectation for the whole range, or variants per version range. */
  expect: Expectation | ExpectationVariant[];
}

export interface ExpectationVariant extends Expectation {
  /** Sub-range of the scenario's `python` this variant holds for. */
  python: string;
}

/** What a run must show. Keys left out are not checked. */
export interface Expectation {
  /** Printed lines and warnings in order; `unordered` groups where CPython fixes no order. */
  trace?: TraceItem[];
  /** How the program ended; unchecked when absent. */
  outcome?: OutcomeExpectation;
  /** Final state of tasks, keyed by task name (`get_name()`). */
  tasks?: Record<string, TaskStateExpectation>;
  /** When true, `log` events (asyncio's logger, ERROR and above) are part of the compared trace. */
  logs?: boolean;
}

/** `[time, "printed line"]` */
export type PrintItem = [number, string];
export interface WarningItem {
  /** Virtual time the warning was issued at. */
  at: number;
  /** Category name, e.g. `DeprecationWarning`, `RuntimeWarning`. */
  warning: string;
  /** Exact message text. */
  message?: string;
  /** A regular expression (ECMAScript, unanchored search) the message must match. */
  match?: string;
}
export interface LogItem {
  at: number;
  /** Logging level name: ERROR, CRITICAL, WARNING. */
  log: string;
  /** First line of the logged message, exact. */
  message?: string;
  match?: string;
}
export interface UnorderedItem {
  /** These events happen consecutively, in any order. */
  unordered: TraceItem[];
}
export type TraceItem = PrintItem | WarningItem | LogItem | UnorderedItem;

export type OutcomeExpectation =
  /** The program ended normally; `returns` is the `repr()` of what `asyncio.run(main())` returned (or `None`). */
  | { returns: string }
  /** The program raised; `raises` is the exception type (see INTERPRETING.md, type names). */
  | { raises: string; args?: string[]; message?: string; match?: string }
  /** No participant could ever progress. */
  | { deadlock: true };

export type TaskStateExpectation =
  | 'pending'
  | 'cancelled'
  | { result: string }
  | { exception: string };

// ---------------------------------------------------------------------------
// Program

export interface Program {
  /** `def name(params): body` — plain functions (callbacks, thread bodies, handlers). */
  functions?: Record<string, FunctionDef>;
  /** `async def name(params): body`, or with `generator: true` `@asyncio.coroutine def` (≤3.10). */
  coroutines?: Record<string, FunctionDef>;
  /** Module-level statements. Default: `asyncio.run(main())` (outcome = its value). */
  module?: Step[];
}

export interface FunctionDef {
  params?: Param[];
  body: Step[];
  /** `@asyncio.coroutine`-decorated generator instead of `async def` (uses `yield_from`). */
  generator?: boolean;
}

/** `name`, or `{name: default}` for a parameter with a default value. */
export type Param = string | { [name: string]: Expr };

// ---------------------------------------------------------------------------
// Statements (steps). A step is a statement form, a bare keyword, or an
// expression used as a statement (its value is discarded, as in Python).

export type Step =
  | 'pass' | 'break' | 'continue' | 'return' | 'raise'
  | { print: Expr[] | Expr; sep?: Expr; end?: Expr }    // print(a, b, sep=..., end=...); a non-list is one argument
  | { set: Record<string, Expr> }                        // a = 1; "a, b" = x unpacks
  | { if: Expr; then: Step[]; elif?: ElifClause[]; else?: Step[] }
  | { for: string; in: Expr; do: Step[]; else?: Step[] } // for a in x: / "a, b" unpacks
  | { async_for: string; in: Expr; do: Step[] }          // async for a in x:
  | { while: Expr; do: Step[]; else?: Step[] }
  | { try: Step[]; except?: ExceptClause[]; else?: Step[]; finally?: Step[] }
  | { return: Expr }
  | { raise: Expr; from?: Expr }                         // raise X from Y ("from: null" → from None)
  | { global: string[] }
  | { del: string[] }
  | { async_with: Expr; as?: string; do: Step[] }        // async with x as y:
  | Expr;

export interface ElifClause { if: Expr; then: Step[] }
export interface ExceptClause {
  /** Exception class name or names (tuple); absent: bare `except:`. */
  type?: string | string[];
  as?: string;
  do: Step[];
}

// ---------------------------------------------------------------------------
// Expressions

export type Expr =
  | null | boolean | bigint | string | Expr[]
  | { float: number }
  | { str: string }                                       // literal str, never a variable
  | { name: string }                                      // a library name: ValueError, asyncio.CancelledError, asyncio.FIRST_COMPLETED, time.sleep
  | { tuple: Expr[] }
  | { dict: [Expr, Expr][] }
  | { f: string }                                         // f-string: "{name}", "{name!r}", "{name:.2f}"
  | { await: Expr }
  | { yield_from: Expr }                                  // only in `generator: true` coroutines
  | { call: [Callee, ...Arg[]]; kwargs?: Record<string, Expr> }
  | { attr: [Expr, string] }                              // x.name (non-call attribute)
  | { item: [Expr, Expr] }                                // x[i]
  | { slice: [Expr, Expr | null, Expr | null] }          // x[a:b]
  | { not: Expr }
  | { and: Expr[] } | { or: Expr[] }
  | { [op in BinaryOp]: [Expr, Expr] }
  | { neg: Expr }
  | { if_else: [Expr, Expr, Expr] }                       // b if a else c, written [a, b, c]
  | { comp: Expr; for: string; in: Expr; if?: Expr }     // [comp for x in xs if cond]
  | AsyncioCall;

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'floordiv' | 'mod' | 'pow'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'is' | 'is_not' | 'in' | 'not_in';

/**
 * The callee of `call`: a function or coroutine function of the program
 * (`say_after`), a builtin (`len`, `sorted`, `str`, `repr`, `isinstance`,
 * `range`, `list`, `tuple`, `int`, `float`, `type_name` = `type(x).__name__`,
 * exception classes such as `ValueError`), a module function
 * (`time.sleep`, `threading.Thread`, `contextvars.ContextVar`,
 * `contextvars.copy_context`, `io.StringIO`, `concurrent.futures.Future`),
 * a variable (`$f`), or a method of a variable (`$task.cancel`).
 */
export type Callee = string;

/** A positional argument; `{star: expr}` unpacks an iterable (`*expr`). */
export type Arg = Expr | { star: Expr };

/**
 * Functions of the `asyncio` module, one operator each, with the module's own
 * keyword arguments as option keys: `{gather: [a, b], return_exceptions: true}`
 * is `asyncio.gather(a, b, return_exceptions=True)`. Positional arguments are
 * a list (`{star: x}` allowed); a single non-list value means one argument.
 * A removed `loop=` argument is written as the option `loop` so that
 * deprecation scenarios can pass it.
 */
export const ASYNCIO_FUNCTIONS = {
  run: ['debug'],
  sleep: ['result', 'loop'],
  create_task: ['name', 'context'],
  ensure_future: ['loop'],
  gather: ['return_exceptions', 'loop'],
  shield: ['loop'],
  wait_for: ['timeout', 'loop'],
  wait: ['timeout', 'return_when', 'loop'],
  as_completed: ['timeout', 'loop'],
  to_thread: [],
  run_coroutine_threadsafe: [],
  current_task: ['loop'],
  all_tasks: ['loop'],
  get_running_loop: [],
  get_event_loop: [],
  new_event_loop: [],
  set_event_loop: [],
  iscoroutine: [],
  iscoroutinefunction: [],
  isfuture: [],
  timeout: [],
  timeout_at: [],
  TaskGroup: [],
  Future: ['loop'],
} as const satisfies Record<string, readonly string[]>;

export type AsyncioFunction = keyof typeof ASYNCIO_FUNCTIONS;

/** Statement forms: the statement key and its option keys. */
export const STATEMENTS: Record<string, readonly string[]> = {
  print: ['sep', 'end'],
  set: [],
  if: ['then', 'elif', 'else'],
  for: ['in', 'do', 'else'],
  async_for: ['in', 'do'],
  while: ['do', 'else'],
  try: ['except', 'else', 'finally'],
  return: [],
  raise: ['from'],
  global: [],
  del: [],
  async_with: ['as', 'do'],
};

/**
 * Keys whose value is a mapping from Python names to expressions (`set`
 * targets, `kwargs`), not an expression: its keys are never operators, so a
 * variable or keyword argument may be called `f` or `float`. Parameter
 * defaults (`{name: default}`) are such mappings too.
 */
export const NAME_KEYED: ReadonlySet<string> = new Set(['set', 'kwargs']);

/** Binary operators: `{add: [a, b]}` is `a + b`. */
export const BINARY_OPS = [
  'add', 'sub', 'mul', 'div', 'floordiv', 'mod', 'pow',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'is', 'is_not', 'in', 'not_in',
] as const;

/** Expression forms other than asyncio functions: operator key and option keys. */
export const LANGUAGE_EXPRESSIONS: Record<string, readonly string[]> = {
  float: [], str: [], name: [], tuple: [], dict: [], f: [],
  await: [], yield_from: [],
  call: ['kwargs'],
  attr: [], item: [], slice: [],
  not: [], and: [], or: [], neg: [],
  ...Object.fromEntries(BINARY_OPS.map((op) => [op, [] as readonly string[]])),
  if_else: [],
  comp: ['for', 'in', 'if'],
};

/** `{gather: [a, b], return_exceptions: true}`: the operator key plus its options. */
export type AsyncioCall = { [key: string]: Arg[] | Expr };

// ---------------------------------------------------------------------------
// Which key of a mapping is its operator (schema.ts, the loader and the
// interpreter all decide it here)

/** Every expression operator (language forms and asyncio functions) with its options. */
export const EXPRESSIONS: Record<string, readonly string[]> = { ...LANGUAGE_EXPRESSIONS, ...ASYNCIO_FUNCTIONS };

/** Statement and expression operators together: what a step mapping may hold. */
export const STEP_OPERATORS: Record<string, readonly string[]> = { ...STATEMENTS, ...EXPRESSIONS };

/**
 * The operator of a mapping with `keys` (INTERPRETING.md, Operator keys), in expression (or, with
 * `statements`, step) position: the operator keys present that are not an
 * option of another operator key present. Several → the mapping is
 * ambiguous; none → it is not an expression.
 */
export function operatorsOf(keys: string[], statements: boolean): string[] {
  const table = statements ? STEP_OPERATORS : EXPRESSIONS;
  const present = keys.filter((k) => Object.prototype.hasOwnProperty.call(table, k));
  return present.filter((k) => !present.some((other) => other !== k && table[other].includes(k)));
}

/** The one operator of a mapping, or undefined when there is none or more than one. */
export function operatorOf(keys: string[], statements: boolean): string | undefined {
  const ops = operatorsOf(keys, statements);
  return ops.length === 1 ? ops[0] : undefined;
}
