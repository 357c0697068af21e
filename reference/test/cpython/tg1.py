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
    me = asyncio.current_task()
    async with asyncio.TaskGroup() as tg:
        t1 = tg.create_task(val(1, 'a'))
        t2 = tg.create_task(val(2, 'b'))
    p('tg ok', t1.result(), t2.result(), me.cancelling())
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(val(1, 'x', True))
            tg.create_task(val(3, 'y'))
            await asyncio.sleep(5)
            p('not reached')
    except* ValueError as eg:
        p('eg', repr(eg.exceptions), me.cancelling())
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(val(1, 'k'))
            raise KeyError('body')
    except BaseException as e:
        p('body error', type(e).__name__, repr(e.exceptions) if hasattr(e, 'exceptions') else repr(e))
    # timeouts
    try:
        async with asyncio.timeout(1) as cm:
            p('cm', repr(cm))
            await asyncio.sleep(5)
    except TimeoutError as e:
        p('timeout', type(e.__cause__).__name__, cm.expired(), repr(cm), me.cancelling())
    async with asyncio.timeout(None) as cm:
        await asyncio.sleep(1)
        cm.reschedule(loop.time() + 1)
        p('resched', repr(cm))
    p('after resched', cm.expired())
    try:
        async with asyncio.timeout_at(loop.time() - 1) as cm:
            await asyncio.sleep(1)
    except TimeoutError: p('past deadline', cm.expired())
    # nested: outer fires
    try:
        async with asyncio.timeout(2) as outer:
            try:
                async with asyncio.timeout(5) as inner:
                    await asyncio.sleep(10)
            except TimeoutError: p('inner caught?')
    except TimeoutError: p('outer caught', outer.expired(), inner.expired())
    # external cancel wins
    async def victim():
        async with asyncio.timeout(1):
            await asyncio.sleep(10)
    t = asyncio.create_task(victim())
    await asyncio.sleep(1)
    t.cancel()
    try: await t
    except asyncio.CancelledError: p('victim cancelled', t.cancelled())
    except TimeoutError: p('victim timeout')
    cm = asyncio.timeout(1)
    try: cm.reschedule(3)
    except RuntimeError as e: p(ename(e))
asyncio.run(main())
