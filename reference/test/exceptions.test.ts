import { expect } from 'chai';
import {
  BaseException, Exception, KeyError, ValueError, TimeoutError, OSError, StopIteration, SystemExit,
  asyncioExceptions, exceptionClass, pyRepr, floatRepr, pyStr, pyTypeName, ExceptionGroup, isinstance, toPyException, RuntimeError,
} from '../exceptions';
import { profileFor } from '../versions';

describe('exceptions', () => {
  it('CancelledError is an Exception in 3.7 and a BaseException (not Exception) from 3.8', () => {
    const c37 = asyncioExceptions(profileFor('3.7')).CancelledError;
    const c38 = asyncioExceptions(profileFor('3.8')).CancelledError;
    expect(new c37()).to.be.instanceOf(Exception);
    expect(new c38()).not.to.be.instanceOf(Exception);
    expect(new c38()).to.be.instanceOf(BaseException);
    expect(c37.__module__).to.equal('concurrent.futures._base');
    expect(c38.__module__).to.equal('asyncio.exceptions');
  });
  it('asyncio.TimeoutError is distinct before 3.11 and the builtin from 3.11', () => {
    expect(asyncioExceptions(profileFor('3.10')).TimeoutError).not.to.equal(TimeoutError);
    expect(asyncioExceptions(profileFor('3.11')).TimeoutError).to.equal(TimeoutError);
    expect(new TimeoutError()).to.be.instanceOf(OSError);
  });
  it('looks classes up by Python name per profile', () => {
    const p = profileFor('3.10');
    expect(exceptionClass('ValueError', p)).to.equal(ValueError);
    expect(exceptionClass('builtins.ValueError', p)).to.equal(ValueError);
    expect(exceptionClass('asyncio.CancelledError', p)).to.equal(asyncioExceptions(p).CancelledError);
    expect(exceptionClass('concurrent.futures.TimeoutError', p)!.__module__).to.equal('concurrent.futures._base');
    expect(exceptionClass('concurrent.futures.InvalidStateError', profileFor('3.7'))).to.equal(undefined);
    expect(exceptionClass('asyncio.base_futures.InvalidStateError', profileFor('3.7'))!.__name__).to.equal('InvalidStateError');
    expect(exceptionClass('nope.Nope', p)).to.equal(undefined);
  });
  it('renders repr and str as Python does', () => {
    expect(pyRepr(new ValueError('x'))).to.equal("ValueError('x')");
    expect(pyRepr(new ValueError(1, 'a'))).to.equal("ValueError(1, 'a')");
    expect(new ValueError(1, 'a').__str__()).to.equal("(1, 'a')");
    expect(new KeyError('k').__str__()).to.equal("'k'");
    expect(pyStr(new ValueError())).to.equal('');
    expect(new StopIteration(3).value).to.equal(3);
    expect(new SystemExit(2).code).to.equal(2);
    expect(pyTypeName(new ValueError())).to.equal('ValueError');
  });
  it('is recognised by chai as an Error without capturing a stack', () => {
    expect(() => { throw new ValueError('bad'); }).to.throw(ValueError, 'bad');
    expect(new ValueError('bad').stack).to.equal('ValueError: bad');
  });
  it('renders floats, strings and containers like repr()', () => {
    expect(floatRepr(0.30000000000000004)).to.equal('0.30000000000000004');
    expect(floatRepr(1e16)).to.equal('1e+16');
    expect(floatRepr(1e-5)).to.equal('1e-05');
    expect(floatRepr(1.5)).to.equal('1.5');
    expect(floatRepr(-0)).to.equal('-0.0');
    expect(floatRepr(Infinity)).to.equal('inf');
    expect(pyRepr("it's")).to.equal('"it\'s"');
    expect(pyRepr('a\nb')).to.equal("'a\\nb'");
    expect(pyRepr([1, null, true, 'x'])).to.equal("[1, None, True, 'x']");
    expect(pyRepr(new Map([['a', 1]]))).to.equal("{'a': 1}");
    expect(pyRepr(new Set())).to.equal('set()');
  });
  it('ExceptionGroup is both a BaseExceptionGroup and an Exception, without confusing siblings', () => {
    const g = new ExceptionGroup('m', [new ValueError()]);
    expect(g).to.be.instanceOf(Exception);
    expect(new RuntimeError()).not.to.be.instanceOf(ValueError);
    expect(isinstance(new ValueError(), [RuntimeError, ValueError])).to.equal(true);
    expect(g.__str__()).to.equal('m (1 sub-exception)');
  });
  it('turns host errors into RuntimeError', () => {
    expect(toPyException(new Error('x'))).to.be.instanceOf(RuntimeError);
    expect(toPyException('s').__str__()).to.equal('s');
  });
});
