from vt import *
import sys
minor = sys.version_info[1]
def chain(e):
    out = ename(e)
    if e.__cause__ is not None: out += ' cause=' + ename(e.__cause__)
    return out
async def val(d, v):
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError:
        p('val cancelled', v); raise
    return v
async def stubborn(d, v):
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError:
        p('stubborn swallows', v)
        await asyncio.sleep(0.5)
        return 'swallowed-' + v
    return v
started = []
async def quick():
    started.append(1)
    return 'q'
async def main():
    loop = asyncio.get_running_loop()
    p(await asyncio.wait_for(val(1, 'a'), 2))
    p(await asyncio.wait_for(val(1, 'none'), None))
    try:
        await asyncio.wait_for(val(3, 'b'), 1)
    except asyncio.TimeoutError as e:
        p('timeout', chain(e), type(e) is TimeoutError)
    try:
        r = await asyncio.wait_for(stubborn(3, 'c'), 1)
        p('returned', r)
    except asyncio.TimeoutError as e:
        p('timeout', chain(e))
    try:
        r = await asyncio.wait_for(quick(), 0)
        p('zero returned', r)
    except asyncio.TimeoutError as e:
        p('zero timeout', chain(e), started)
    f = loop.create_future(); f.set_result('done-f')
    p(await asyncio.wait_for(f, 0))
    t = asyncio.ensure_future(val(1, 'neg'))
    try:
        await asyncio.wait_for(t, -1)
    except asyncio.TimeoutError as e:
        p('neg timeout', chain(e), t.cancelled())
    # outer cancelled while waiting
    inner = asyncio.ensure_future(val(5, 'inner'))
    async def waiter():
        return await asyncio.wait_for(inner, 10)
    w = asyncio.ensure_future(waiter())
    await asyncio.sleep(1)
    w.cancel()
    try: await w
    except asyncio.CancelledError as e: p('waiter cancelled', inner.cancelled())
    # race: inner completes and outer cancelled in same iteration
    fut = loop.create_future()
    async def waiter2():
        return await asyncio.wait_for(fut, 10)
    w = asyncio.ensure_future(waiter2())
    await asyncio.sleep(1)
    fut.set_result('raced'); w.cancel()
    try: p('race result', await w)
    except asyncio.CancelledError: p('race cancelled')
    # exception from inner
    async def boom():
        await asyncio.sleep(1); raise ValueError('boom')
    try: await asyncio.wait_for(boom(), 5)
    except ValueError as e: p('boom', ename(e))
asyncio.run(main())
