import { expect } from 'chai';
import { Linked, TaskRegistry } from '../registry';

interface Entry extends Linked {
  name: string;
}
const entry = (name: string): Entry => ({ name, _regPrev: null, _regNext: null });
const names = (r: TaskRegistry<Entry>): string[] => [...r].map((e) => e.name);

describe('registry', () => {
  it('iterates in registration order and ignores a second add', () => {
    const r = new TaskRegistry<Entry>();
    const [a, b, c] = [entry('a'), entry('b'), entry('c')];
    r.add(a).add(b).add(c).add(a);
    expect(names(r)).to.deep.equal(['a', 'b', 'c']);
    expect(r.size).to.equal(3);
  });
  it('forgets the head, a middle entry and the tail, and can take them back', () => {
    const r = new TaskRegistry<Entry>();
    const es = ['a', 'b', 'c', 'd', 'e'].map(entry);
    for (const e of es) r.add(e);
    expect(r.delete(es[2])).to.equal(true);
    expect(r.delete(es[0])).to.equal(true);
    expect(r.delete(es[4])).to.equal(true);
    expect(r.delete(es[4])).to.equal(false);
    expect(names(r)).to.deep.equal(['b', 'd']);
    expect(r.has(es[0])).to.equal(false);
    expect(r.has(es[1])).to.equal(true);
    r.add(es[0]);
    expect(names(r)).to.deep.equal(['b', 'd', 'a']);
    expect(r.size).to.equal(3);
  });
  it('is empty again after every entry is forgotten', () => {
    const r = new TaskRegistry<Entry>();
    const a = entry('a');
    r.add(a);
    r.delete(a);
    expect(names(r)).to.deep.equal([]);
    expect(r.size).to.equal(0);
    expect(r.has(a)).to.equal(false);
    r.add(a);
    expect(names(r)).to.deep.equal(['a']);
  });
});
