import { expect } from 'chai';
import { heapify, heappop, heappush } from '../heapq';

const lt = (a: [number, number], b: [number, number]) => a[0] < b[0];

describe('heapq', () => {
  it('pops six equal keys in CPython heap order 0,2,5,1,3,4 after a later key is pushed', () => {
    // Expectations: reference/test/cpython/heap.py, second line, on CPython 3.7.16 ... 3.13.0: six equal keys then one later key.
    const h: [number, number][] = [];
    for (let i = 0; i < 6; i++) heappush(h, [1, i], lt);
    heappush(h, [2, 99], lt);
    const out: number[] = [];
    while (h.length) out.push(heappop(h, lt)[1]);
    expect(out).to.deep.equal([0, 2, 5, 1, 3, 4, 99]);
  });
  it('heapify orders distinct keys', () => {
    const h: [number, number][] = [5, 3, 8, 1, 9, 2].map((k) => [k, k] as [number, number]);
    heapify(h, lt);
    const out: number[] = [];
    while (h.length) out.push(heappop(h, lt)[0]);
    expect(out).to.deep.equal([1, 2, 3, 5, 8, 9]);
  });
  it('heappop of an empty heap raises', () => {
    expect(() => heappop([], lt)).to.throw(RangeError);
  });
});
