from vt import *
async def val(d, v, fail=False):
    await asyncio.sleep(d)
    if fail: raise ValueError(v)
    p('done', v)
    return v
async def main():
    r = await asyncio.gather(val(3,'slow'), val(1,'fast'))
    p(r)
    r = await asyncio.gather(val(1,'a'), val(2,'b', True), val(3, 'c'), return_exceptions=True)
    p([ename(x) if isinstance(x, BaseException) else x for x in r])
    try:
        await asyncio.gather(val(1,'a'), val(2,'b', True), val(3, 'c'))
    except ValueError as e: p('caught', ename(e))
    await asyncio.sleep(5)
    # cancel outer
    g = asyncio.gather(val(1,'x'), val(2,'y'))
    loop = asyncio.get_running_loop()
    loop.call_later(1.5, g.cancel)
    try:
        await g
    except asyncio.CancelledError as e: p('outer cancelled', ename(e), g.cancelled())
    # child cancelled
    t1 = asyncio.ensure_future(val(1,'t1')); t2 = asyncio.ensure_future(val(2,'t2'))
    g = asyncio.gather(t1, t2, return_exceptions=True)
    loop.call_later(0.5, t1.cancel)
    r = await g
    p([ename(x) if isinstance(x, BaseException) else x for x in r], g.cancelled())
    t1 = asyncio.ensure_future(val(1,'t1')); t2 = asyncio.ensure_future(val(2,'t2'))
    g = asyncio.gather(t1, t2)
    loop.call_later(0.5, t1.cancel)
    try: await g
    except asyncio.CancelledError as e: p('child cancel propagates', ename(e), g.cancelled(), t2.cancelled())
    await asyncio.sleep(3)
    # dup
    t = asyncio.ensure_future(val(1, 'dup'))
    p(await asyncio.gather(t, t, val(0, 'z')))
    p(await asyncio.gather())
    f = loop.create_future(); f.set_result(7)
    g = asyncio.gather(f); p('done immediately?', g.done())
    p(await g)
asyncio.run(main())
