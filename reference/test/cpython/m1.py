from vt import *
import sys
minor = sys.version_info[1]
async def val(d, v):
    await asyncio.sleep(d); return v
g = asyncio.gather()
p('outside', g.done(), g.result())
async def main():
    loop = asyncio.get_running_loop()
    if minor <= 9:
        p('loop nonempty', await asyncio.gather(val(1, 'a'), loop=loop))
        p('loop empty', await asyncio.gather(loop=loop))
    else:
        try: asyncio.gather(loop=loop)
        except TypeError as e: p(ename(e))
    try: asyncio.run_coroutine_threadsafe(val, loop)
    except TypeError as e: p(ename(e))
    if minor >= 13:
        ts = [asyncio.create_task(val(2, 'x')), asyncio.create_task(val(1, 'y'))]
        async for t in asyncio.as_completed(ts):
            p('async for', t is ts[0], t is ts[1], await t)
        try:
            async for t in asyncio.as_completed([val(3, 'z')], timeout=1): pass
        except TimeoutError as e: p('async timeout', ename(e))
    if minor >= 11:
        # parent cancelled from outside
        async def parent():
            async with asyncio.TaskGroup() as tg:
                tg.create_task(val(5, 'c1'))
                await asyncio.sleep(10)
        t = asyncio.create_task(parent())
        await asyncio.sleep(1)
        t.cancel()
        try: await t
        except asyncio.CancelledError: p('parent cancelled', t.cancelled())
        tg = asyncio.TaskGroup()
        c = val(1, 'q')
        try: tg.create_task(c)
        except RuntimeError as e: p(ename(e))
        c.close()
        async with tg:
            pass
        c = val(1, 'q')
        try: tg.create_task(c)
        except RuntimeError as e: p(ename(e))
        c.close()
        try:
            async with tg: pass
        except RuntimeError as e: p(ename(e))
        # exception raised after timeout expired, in handler
        try:
            async with asyncio.timeout(1):
                try:
                    await asyncio.sleep(5)
                except asyncio.CancelledError:
                    raise ValueError('in handler')
        except BaseException as e:
            ctx = e.__context__
            p('after expiry', ename(e), type(ctx).__name__ if ctx else None, type(ctx.__context__).__name__ if ctx and ctx.__context__ else None)
        # error and body cancellation in TG: two errors
        async def fail(d, m):
            await asyncio.sleep(d); raise ValueError(m)
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(fail(1, 'e1'))
                tg.create_task(fail(1, 'e2'))
        except ExceptionGroup as eg:
            p('two errors', repr(eg.exceptions))
asyncio.run(main())
