import { expect } from 'chai';
import { asyncDef } from '../coroutines';
import { RuntimeError, ValueError, pyRepr } from '../exceptions';
import { py } from './helpers';

describe('runners', () => {
  it('rejects a non-coroutine with ValueError', () => {
    expect(() => py().run(1)).to.throw(ValueError, 'a coroutine was expected, got 1');
  });
  it('refuses to run inside a running loop', () => {
    const a = py();
    const inner = asyncDef(function* inner() {});
    const main = asyncDef(function* main() {
      const c = inner();
      try { a.run(c); } catch (e) { c.close(); return pyRepr(e); }
    });
    expect(a.run(main())).to.equal("RuntimeError('asyncio.run() cannot be called from a running event loop')");
  });
  it('cancels leftover tasks at shutdown and reports their unexpected errors', () => {
    const a = py();
    const log: string[] = [];
    const bg = asyncDef(function* bg() {
      // Log 'cancelled' only for CancelledError, so another exception fails the test.
      try { yield* a.sleep(100); } catch (e) { if (!(e instanceof a.CancelledError)) throw e; log.push('cancelled'); throw new ValueError('late'); }
    });
    const main = asyncDef(function* main() { a.create_task(bg()); yield* a.sleep(0); return 'ok'; });
    expect(a.run(main())).to.equal('ok');
    expect(log).to.deep.equal(['cancelled']);
    expect(a.logger.records[0].message).to.match(/^unhandled exception during asyncio.run\(\) shutdown/);
  });
  it('propagates the exception of main and leaves no running loop', () => {
    const a = py();
    const main = asyncDef(function* main() { throw new ValueError('x'); });
    expect(() => a.run(main())).to.throw(ValueError, 'x');
    expect(() => a.get_running_loop()).to.throw(RuntimeError, 'no running event loop');
    expect(() => a.get_event_loop()).to.throw(RuntimeError, "There is no current event loop in thread 'MainThread'.");
  });
  it('get_event_loop warns on 3.12 when it has to create a loop, not on 3.11', () => {
    const a12 = py('3.12');
    a12.get_event_loop();
    expect(a12.warnings.records.map((r) => r.message)).to.deep.equal(['There is no current event loop']);
    const a11 = py('3.11');
    a11.get_event_loop();
    expect(a11.warnings.records).to.deep.equal([]);
  });
  it('debug=True sets the loop debug flag', () => {
    const a = py('3.7');
    const main = asyncDef(function* main() { return a.get_event_loop().get_debug(); });
    expect(a.run(main(), { debug: true })).to.equal(true);
    expect(a.run(main())).to.equal(false);
  });
});
