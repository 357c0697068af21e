from vt import *
import sys
minor = sys.version_info[1]
async def val(d, v, fail=False):
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError:
        p('val cancelled', v); raise
    if fail: raise ValueError(v)
    p('val done', v)
    return v
async def main():
    loop = asyncio.get_running_loop()
    # shield: outer cancelled, inner continues
    inner = asyncio.ensure_future(val(2, 'inner'))
    async def w():
        return await asyncio.shield(inner)
    t = asyncio.ensure_future(w())
    await asyncio.sleep(1)
    t.cancel()
    try: await t
    except asyncio.CancelledError: p('outer cancelled', inner.cancelled(), inner.done())
    p('inner result', await inner)
    # shield: inner cancelled -> outer cancelled
    inner = asyncio.ensure_future(val(2, 'inner2'))
    s = asyncio.shield(inner)
    loop.call_later(1, inner.cancel)
    try: await s
    except asyncio.CancelledError: p('shield cancelled with inner', s.cancelled())
    # shield of done future returns it
    f = loop.create_future(); f.set_result(1)
    p('same', asyncio.shield(f) is f)
    # shield exception
    try: await asyncio.shield(val(1, 'e', True))
    except ValueError as e: p('shield exc', ename(e))
    # as_completed
    for c in asyncio.as_completed([val(3, 'x'), val(1, 'y'), val(2, 'z')]):
        p('as_completed', await c)
    try:
        for c in asyncio.as_completed([val(1, 'p'), val(5, 'q')], timeout=2):
            p('ac timeout', await c)
    except asyncio.TimeoutError as e: p('ac timed out', ename(e))
    await asyncio.sleep(4)
    it = asyncio.as_completed([val(1, 'r', True)])
    try:
        for c in it: await c
    except ValueError as e: p('ac exc', ename(e))
    try:
        for c in asyncio.as_completed(loop.create_future()): pass
    except TypeError as e: p(ename(e))
    # gather: outer cancel with return_exceptions
    g = asyncio.gather(val(1, 'g1'), val(2, 'g2'), return_exceptions=True)
    loop.call_later(0.5, g.cancel)
    try: p(await g)
    except asyncio.CancelledError as e: p('gather re cancelled', ename(e))
    if minor >= 9:
        g = asyncio.gather(val(1, 'm1'))
        loop.call_later(0.5, g.cancel, 'msg')
        try: await g
        except asyncio.CancelledError as e: p('gather msg', ename(e))
    # gather cancel after done
    g = asyncio.gather(val(1, 'd1', True), val(2, 'd2'))
    try: await g
    except ValueError: p('cancel after done', g.cancel())
    await asyncio.sleep(2)
asyncio.run(main())
