/**
 * A tiny, synchronous stand-in for an implementation, enough to test the
 * interpreter alone: coroutines run to completion when awaited (no loop, no
 * tasks), `asyncio.sleep` and `time.sleep` advance a clock, exceptions are
 * plain objects with a small class hierarchy.
 */
import {
  DeadlockError,
  type EventSink,
  type ExceptionInfo,
  type Kwargs,
  type ProgramFunction,
  type PyValue,
  type Session,
  Suspend,
} from '../../adapters/adapter';
import type { TraceEvent } from '../../results';
import { PyTuple } from '../values';

const BASES: Record<string, string | null> = {
  BaseException: null,
  Exception: 'BaseException',
  'asyncio.CancelledError': 'BaseException',
  ValueError: 'Exception',
  TypeError: 'Exception',
  ArithmeticError: 'Exception',
  ZeroDivisionError: 'ArithmeticError',
  OverflowError: 'ArithmeticError',
  LookupError: 'Exception',
  KeyError: 'LookupError',
  IndexError: 'LookupError',
  NameError: 'Exception',
  UnboundLocalError: 'NameError',
  AttributeError: 'Exception',
  RuntimeError: 'Exception',
  SyntaxError: 'Exception',
  StopAsyncIteration: 'Exception',
};

function mro(type: string): string[] {
  const out: string[] = [];
  for (let t: string | null = type; t !== null; t = BASES[t] ?? null) out.push(t);
  return out;
}

export class FakeClass {
  constructor(readonly name: string) {}
}

export class FakeException {
  cause?: PyValue;
  context?: PyValue;
  constructor(readonly type: string, readonly args: PyValue[]) {}
}

export class FakeCoroutine {
  started = false;
  constructor(readonly fn: ProgramFunction, readonly body: Generator<unknown, PyValue, PyValue>) {}
}

export class FakeSleep {
  constructor(readonly delay: number, readonly result: PyValue) {}
}

/** An awaitable that raises. */
export class FakeRaise {
  constructor(readonly exc: FakeException) {}
}

/** An async iterator over fixed items; `__anext__` awaits a sleep(1) before each. */
export class FakeAsyncIter {
  constructor(readonly items: PyValue[]) {}
}

/** An async context manager recording its calls; suppresses exceptions when told to. */
export class FakeManager {
  calls: string[] = [];
  constructor(readonly suppress: boolean) {}
}

/** A plain iterable object of the implementation. */
export class FakeBag {
  constructor(readonly items: PyValue[]) {}
}

export class FakeSession implements Session {
  clock = 0;
  readonly events: TraceEvent[] = [];
  readonly released: PyValue[] = [];
  readonly sink: EventSink = { emit: (e) => this.events.push(e) };

  time(): number {
    return this.clock;
  }

  async main(body: () => Generator<unknown, PyValue, PyValue>): Promise<void> {
    this.drive(body());
  }

  private drive(gen: Generator<unknown, PyValue, PyValue>): PyValue {
    let r = gen.next();
    while (!r.done) {
      let value: PyValue;
      try {
        value = this.serve(r.value);
      } catch (e) {
        if (e instanceof DeadlockError || !(e instanceof FakeException)) throw e;
        r = gen.throw(e);
        continue;
      }
      r = gen.next(value);
    }
    return r.value;
  }

  private serve(v: unknown): PyValue {
    if (v instanceof Suspend) {
      const req = v.request as { kind: string; coro?: FakeCoroutine; delay?: number };
      if (req.kind === 'run') return this.serve(req.coro);
      if (req.kind === 'sleep') {
        this.clock += req.delay!;
        return null;
      }
      if (req.kind === 'deadlock') throw new DeadlockError();
    }
    if (v instanceof FakeCoroutine) {
      if (v.started) throw new FakeException('RuntimeError', ['cannot reuse already awaited coroutine']);
      v.started = true;
      return this.drive(v.body);
    }
    if (v instanceof FakeSleep) {
      this.clock += v.delay;
      return v.result;
    }
    if (v instanceof FakeRaise) throw v.exc;
    throw new FakeException('TypeError', [`object ${typeof v} can't be used in 'await' expression`]);
  }

  coroutine(fn: ProgramFunction, args: PyValue[], kwargs: Kwargs): PyValue {
    return new FakeCoroutine(fn, fn.start(args, kwargs));
  }

  name(dotted: string): PyValue {
    if (dotted in BASES) return new FakeClass(dotted);
    throw new FakeException('NameError', [`name '${dotted}' is not defined`]);
  }

  call(callee: string, args: PyValue[], kwargs: Kwargs, target?: PyValue): PyValue | Suspend {
    if (target !== undefined) return this.callMethod(callee, args, target);
    if (callee in BASES) return new FakeException(callee, args);
    switch (callee) {
      case 'asyncio.run':
        return new Suspend({ kind: 'run', coro: args[0] });
      case 'asyncio.sleep':
        return new FakeSleep(Number(args[0]), kwargs.result ?? null);
      case 'time.sleep':
        return new Suspend({ kind: 'sleep', delay: Number(args[0]) });
      case 'block_forever':
        return new Suspend({ kind: 'deadlock' });
      case 'aiter_of':
        return new FakeAsyncIter([...(args as unknown[])]);
      case 'manager':
        return new FakeManager(Boolean(args[0]));
      case 'bag':
        return new FakeBag([...args]);
    }
    throw new FakeException('NameError', [`name '${callee}' is not defined`]);
  }

  private callMethod(name: string, args: PyValue[], target: PyValue): PyValue | Suspend {
    if (target instanceof FakeClass && name === '__call__') return new FakeException(target.name, args);
    if (target instanceof FakeAsyncIter) {
      if (name === '__aiter__') return target;
      if (name === '__anext__') {
        const next = target.items.shift();
        if (next === undefined) return new FakeRaise(new FakeException('StopAsyncIteration', []));
        return new FakeSleep(1, next);
      }
    }
    if (target instanceof FakeManager) {
      target.calls.push(name + (name === '__aexit__' ? `(${args[0] === null ? 'None' : (args[0] as FakeClass).name})` : ''));
      if (name === '__aenter__') return new FakeSleep(0, 'resource');
      if (name === '__aexit__') return new FakeSleep(0, target.suppress);
    }
    if (target instanceof FakeCoroutine && name === 'close') {
      target.started = true;
      target.body.return(null);
      return null;
    }
    throw new FakeException('AttributeError', [`object has no attribute '${name}'`]);
  }

  getAttr(obj: PyValue, attr: string): PyValue {
    if (obj instanceof FakeException) {
      if (attr === 'args') return new PyTuple(obj.args);
      if (attr === '__class__') return new FakeClass(obj.type);
      if (attr === '__cause__') return obj.cause ?? null;
      if (attr === '__context__') return obj.context ?? null;
    }
    if (obj instanceof FakeClass && attr === '__name__') return obj.name.split('.').pop()!;
    if (obj instanceof FakeCoroutine && attr === '__class__') return new FakeClass('coroutine');
    throw new FakeException('AttributeError', [`object has no attribute '${attr}'`]);
  }

  iterate(obj: PyValue): Iterable<PyValue> | undefined {
    return obj instanceof FakeBag ? obj.items : undefined;
  }

  repr(obj: PyValue): string {
    if (obj instanceof FakeCoroutine) return `<coroutine object ${obj.fn.name}>`;
    if (obj instanceof FakeClass) return `<class '${obj.name}'>`;
    return `<fake ${String(obj)}>`;
  }

  str(obj: PyValue): string {
    return this.repr(obj);
  }

  exceptionInfo(obj: PyValue): ExceptionInfo | undefined {
    if (!(obj instanceof FakeException)) return undefined;
    return { type: obj.type, mro: mro(obj.type), args: obj.args };
  }

  isInstance(obj: PyValue, cls: PyValue): boolean {
    return obj instanceof FakeException && cls instanceof FakeClass && mro(obj.type).includes(cls.name);
  }

  newException(type: string, args: PyValue[]): PyValue {
    return new FakeException(type, args);
  }

  linkException(exc: PyValue, link: { cause?: PyValue | null; context?: PyValue }): void {
    const e = exc as FakeException;
    if (link.cause !== undefined) e.cause = link.cause;
    if (link.context !== undefined) e.context = link.context;
  }

  release(obj: PyValue): void {
    this.released.push(obj);
    if (obj instanceof FakeCoroutine && !obj.started) {
      obj.started = true;
      this.sink.emit({
        t: this.clock,
        kind: 'warning',
        category: 'RuntimeWarning',
        message: `coroutine '${obj.fn.name}' was never awaited`,
      });
    }
  }

  tasks() {
    return [];
  }
}
