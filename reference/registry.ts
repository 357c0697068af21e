/**
 * tasks._all_tasks: the registered tasks, in registration order.
 *
 * CPython keeps a WeakSet (3.12+ a linked list threaded through the C task
 * objects). Here too each task carries its own two links: registering and
 * forgetting a task costs a few field writes, no hashing and no table to
 * grow, which matters when 100k tasks are created at once.
 *
 * Invariants: an entry is in at most one TaskRegistry; it is in this one
 * exactly when it is the head or has a predecessor.
 */

/** What a registry entry carries (Task declares these two fields). */
export interface Linked {
  _regPrev: Linked | null;
  _regNext: Linked | null;
}

export class TaskRegistry<T extends Linked> implements Iterable<T> {
  private head: T | null = null;
  private tail: T | null = null;
  size = 0;

  has(t: T): boolean {
    return t._regPrev !== null || this.head === t;
  }

  add(t: T): this {
    if (this.has(t)) return this;
    t._regPrev = this.tail;
    t._regNext = null;
    if (this.tail === null) this.head = t;
    else this.tail._regNext = t;
    this.tail = t;
    this.size++;
    return this;
  }

  delete(t: T): boolean {
    if (!this.has(t)) return false;
    const prev = t._regPrev as T | null;
    const next = t._regNext as T | null;
    if (prev === null) this.head = next;
    else prev._regNext = next;
    if (next === null) this.tail = prev;
    else next._regPrev = prev;
    t._regPrev = t._regNext = null;
    this.size--;
    return true;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let t = this.head; t !== null; t = t._regNext as T | null) yield t;
  }
}
