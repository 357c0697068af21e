import { expect } from 'chai';
import { ContextState, ContextVar, copy_context } from '../contextvars';
import { LookupError, RuntimeError, ValueError } from '../exceptions';

describe('contextvars', () => {
  it('get() falls back to the default, then LookupError', () => {
    const s = new ContextState();
    expect(new ContextVar(s, 'a', { default: 1 }).get()).to.equal(1);
    expect(new ContextVar<number>(s, 'b').get(2)).to.equal(2);
    expect(() => new ContextVar(s, 'c').get()).to.throw(LookupError);
  });
  it('a copy does not see later sets, and run() isolates changes', () => {
    const s = new ContextState();
    const v = new ContextVar<number>(s, 'v', { default: 0 });
    v.set(1);
    const c = copy_context(s);
    v.set(2);
    expect(c.run(() => v.get())).to.equal(1);
    c.run(() => v.set(5));
    expect(v.get()).to.equal(2);
    expect(c.get(v)).to.equal(5);
  });
  it('reset() restores, and refuses reuse, other vars and other contexts', () => {
    const s = new ContextState();
    const v = new ContextVar<number>(s, 'v');
    const w = new ContextVar<number>(s, 'w');
    const t = v.set(1);
    v.reset(t);
    expect(() => v.get()).to.throw(LookupError);
    expect(() => v.reset(t)).to.throw(RuntimeError, 'has already been used once');
    expect(() => w.reset(v.set(2))).to.throw(ValueError, 'was created by a different ContextVar');
    const t2 = v.set(3);
    expect(() => copy_context(s).run(() => v.reset(t2))).to.throw(ValueError, 'was created in a different Context');
  });
  it('a context cannot be entered twice', () => {
    const s = new ContextState();
    const c = copy_context(s);
    expect(() => c.run(() => c.run(() => 0))).to.throw(RuntimeError, 'cannot enter context');
  });
});
