/**
 * A literal port of CPython's `heapq` (Lib/heapq.py: heappush, heappop,
 * heapify, _siftdown, _siftup).
 *
 * Invariants:
 * - heap[k] <= heap[2k+1] and heap[k] <= heap[2k+2] under `lt`.
 * - Only `lt` is ever consulted, with the same operands in the same order as
 *   CPython's `<`, so items that compare equal (TimerHandles with equal
 *   deadlines: TimerHandle.__lt__ compares `_when` only) leave the heap in
 *   exactly CPython's order. heapq is not stable: six equal timers pop as
 *   0,2,5,4,1,3. Do not "improve" this into a stable heap.
 * - The C accelerator (_heapq) implements the same algorithm, so the Python
 *   source is the reference.
 */

export type Less<T> = (a: T, b: T) => boolean;

/** Push item onto heap, maintaining the heap invariant. */
export function heappush<T>(heap: T[], item: T, lt: Less<T>): void {
  heap.push(item);
  siftdown(heap, 0, heap.length - 1, lt);
}

/** Pop the smallest item off the heap, maintaining the heap invariant. */
export function heappop<T>(heap: T[], lt: Less<T>): T {
  const lastelt = heap.pop();
  if (lastelt === undefined) throw new RangeError('index out of range'); // Python: IndexError
  if (heap.length) {
    const returnitem = heap[0];
    heap[0] = lastelt;
    siftup(heap, 0, lt);
    return returnitem;
  }
  return lastelt;
}

/** Transform list into a heap, in-place, in O(len(x)) time. */
export function heapify<T>(x: T[], lt: Less<T>): void {
  const n = x.length;
  // Transform bottom-up. The largest index there's any point to looking at
  // is the largest with a child index in-range, so must have 2*i + 1 < n,
  // or i < (n-1)/2.
  for (let i = Math.floor(n / 2) - 1; i >= 0; i--) siftup(x, i, lt);
}

/** heapq._siftdown: follow the path to the root, moving parents down until finding a place newitem fits. */
export function siftdown<T>(heap: T[], startpos: number, pos: number, lt: Less<T>): void {
  const newitem = heap[pos];
  while (pos > startpos) {
    const parentpos = (pos - 1) >> 1;
    const parent = heap[parentpos];
    if (lt(newitem, parent)) {
      heap[pos] = parent;
      pos = parentpos;
      continue;
    }
    break;
  }
  heap[pos] = newitem;
}

/** heapq._siftup: bubble the smaller child up until hitting a leaf, then siftdown (Knuth, fewer comparisons). */
export function siftup<T>(heap: T[], pos: number, lt: Less<T>): void {
  const endpos = heap.length;
  const startpos = pos;
  const newitem = heap[pos];
  let childpos = 2 * pos + 1;
  while (childpos < endpos) {
    const rightpos = childpos + 1;
    if (rightpos < endpos && !lt(heap[childpos], heap[rightpos])) childpos = rightpos;
    heap[pos] = heap[childpos];
    pos = childpos;
    childpos = 2 * pos + 1;
  }
  heap[pos] = newitem;
  siftdown(heap, startpos, pos, lt);
}
