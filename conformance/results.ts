/**
 * What running one scenario on one implementation produces. The same shape
 * travels over the process protocol (spec/protocol/result.schema.json), so
 * in-process and out-of-process implementations are judged alike.
 */

/** One observable event, stamped with virtual time (seconds, a float). */
export type TraceEvent =
  | { t: number; kind: 'print'; text: string }
  | { t: number; kind: 'warning'; category: string; message: string }
  | { t: number; kind: 'log'; level: string; message: string };

/** How the program ended. */
export type Outcome =
  /** `repr()` of the value (`None` for a program with a `module` body). */
  | { kind: 'returned'; repr: string }
  /**
   * `type` is the exception's type name as INTERPRETING.md defines it
   * (`ValueError`, `asyncio.CancelledError`, `concurrent.futures.TimeoutError`);
   * `args` the `repr()` of each of its args; `str` is `str(exc)`.
   */
  | { kind: 'raised'; type: string; args: string[]; str: string }
  /** Every participant was blocked and nothing could ever wake one. */
  | { kind: 'deadlock' };

/** Final state of one task created during the run. */
export interface TaskReport {
  name: string;
  state: 'pending' | 'cancelled' | 'finished' | 'failed';
  /** `repr()` of the result (finished) or of the exception (failed). */
  value?: string;
}

export interface RunResult {
  events: TraceEvent[];
  outcome: Outcome;
  tasks: TaskReport[];
}
