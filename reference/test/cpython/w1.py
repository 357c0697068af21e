from vt import *
import sys
minor = sys.version_info[1]
async def val(d, v, fail=False):
    await asyncio.sleep(d)
    if fail: raise ValueError(v)
    return v
def names(s): return sorted(t.get_name() if minor >= 8 else t._coro.__name__ for t in s)
async def main():
    loop = asyncio.get_running_loop()
    mk = lambda d, v, fail=False, n=None: (asyncio.create_task(val(d, v, fail), name=n) if minor >= 8 else asyncio.ensure_future(val(d,v,fail)))
    ts = [mk(1,'a',n='a'), mk(2,'b',True,n='b'), mk(3,'c',n='c')]
    done, pending = await asyncio.wait(ts)
    p('all', names(done), names(pending))
    ts = [mk(1,'a',n='a'), mk(2,'b',True,n='b'), mk(3,'c',n='c')]
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)
    p('first', names(done), names(pending))
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_EXCEPTION)
    p('firstexc', names(done), names(pending))
    done, pending = await asyncio.wait(ts, timeout=0.5)
    p('timeout', names(done), names(pending))
    ts = [mk(1,'a',n='a'), mk(5,'b',n='b')]
    done, pending = await asyncio.wait(ts, timeout=2)
    p('timeout2', names(done), names(pending), ts[1].cancelled())
    await ts[1]
    p('b finished')
    for bad in [[], ts[0], 'x']:
        try: await asyncio.wait(bad)
        except Exception as e: p(ename(e))
    try: await asyncio.wait(ts, return_when='bogus')
    except Exception as e: p(ename(e))
    c = val(1, 'coro')
    try:
        done, pending = await asyncio.wait([c])
        p('coro ok', [t.result() for t in done])
    except TypeError as e:
        p(ename(e)); c.close()
    # cancelled task counts as done but not exception in FIRST_EXCEPTION
    ts = [mk(1,'a',n='a'), mk(2,'b',n='b')]
    loop.call_later(0.5, ts[0].cancel)
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_EXCEPTION)
    p('cancel not exc', names(done), names(pending))
asyncio.run(main())
