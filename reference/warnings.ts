/**
 * The warnings and logging channels of one runtime instance.
 *
 * Invariants:
 * - A runtime never prints: every warning (`warnings.warn`) and every log
 *   record (asyncio's `logger`) is appended to a channel, in emission order,
 *   stamped with the virtual time when a clock is attached. The conformance
 *   interpreter turns them into trace events.
 * - Channels belong to one runtime instance; nothing is global.
 * - No filtering: CPython's default filters would hide DeprecationWarning
 *   outside __main__; scenarios run with "always" semantics (every warning
 *   recorded, no once-per-location deduplication), like
 *   `warnings.simplefilter('always')`.
 */

import type { ExceptionClass, BaseException } from './exceptions';
import { Warning as PyWarning, UserWarning } from './exceptions';

export interface WarningRecord {
  /** The warning class (DeprecationWarning, RuntimeWarning, ...). */
  readonly category: ExceptionClass;
  /** `category.__name__`, for traces. */
  readonly categoryName: string;
  readonly message: string;
  /** Virtual time at emission, or null when no clock is attached. */
  readonly time: number | null;
}

/** Python's `warnings` module, reduced to what asyncio emits. */
export class WarningsChannel {
  readonly records: WarningRecord[] = [];
  /** Optional observer (e.g. a trace recorder), called after each record. */
  onWarning: ((w: WarningRecord) => void) | null = null;
  /** When set, warnings of these categories are raised instead of recorded ('error' filter). */
  readonly errorCategories = new Set<ExceptionClass>();

  constructor(private readonly now: () => number | null = () => null) {}

  /** warnings.warn(message, category). */
  warn(message: string, category: ExceptionClass = UserWarning as unknown as ExceptionClass): void {
    for (const c of this.errorCategories) {
      if (category === c || category.prototype instanceof c) throw new category(message);
    }
    const rec: WarningRecord = { category, categoryName: category.__name__, message, time: this.now() };
    this.records.push(rec);
    this.onWarning?.(rec);
  }

  /** Drain and return the records. */
  take(): WarningRecord[] {
    return this.records.splice(0, this.records.length);
  }
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

export interface LogRecord {
  readonly level: LogLevel;
  /** The formatted message (logger.error(msg % args)). */
  readonly message: string;
  /** exc_info, when the record carries an exception. */
  readonly exception: BaseException | null;
  readonly time: number | null;
}

/** asyncio's `logging.getLogger('asyncio')`, as a channel. */
export class LoggingChannel {
  readonly records: LogRecord[] = [];
  onLog: ((r: LogRecord) => void) | null = null;

  constructor(private readonly now: () => number | null = () => null) {}

  log(level: LogLevel, message: string, exception: BaseException | null = null): void {
    const rec: LogRecord = { level, message, exception, time: this.now() };
    this.records.push(rec);
    this.onLog?.(rec);
  }
  debug(message: string): void { this.log('DEBUG', message); }
  info(message: string): void { this.log('INFO', message); }
  warning(message: string): void { this.log('WARNING', message); }
  error(message: string, exception: BaseException | null = null): void { this.log('ERROR', message, exception); }

  take(): LogRecord[] {
    return this.records.splice(0, this.records.length);
  }
}

/** True if `cls` is a warning category (a subclass of builtins.Warning). */
export function isWarningCategory(cls: unknown): cls is ExceptionClass {
  return typeof cls === 'function' && (cls === PyWarning || (cls as { prototype: unknown }).prototype instanceof PyWarning);
}
