# Task repr while cancelling, Task name str(), sleep(loop=) warning timing,
# ensure_future on a closed loop (items behind the tasks.test.ts "review-1" block).
import asyncio, inspect, sys, warnings
print(sys.version.split()[0])

# 1. repr of a task cancelled while blocked on a future, before it runs again;
#    and of a task cancelled before its first step.
async def main1():
    loop = asyncio.get_event_loop()
    fut = loop.create_future()
    async def w():
        await fut
    t = loop.create_task(w())
    await asyncio.sleep(0)
    t.cancel()
    print('blocked', repr(t).split()[1])
    u = loop.create_task(w())
    u.cancel()
    print('unstarted', repr(u).split()[1])
    for x in (t, u):
        try:
            await x
        except asyncio.CancelledError:
            pass
    print('done', repr(t).split()[1])
loop = asyncio.new_event_loop()
loop.run_until_complete(main1())

# 8. Task(name=True): str(), not repr
if sys.version_info >= (3, 8):
    async def c():
        pass
    t = asyncio.Task(c(), loop=loop, name=True)
    print('name', repr(t.get_name()))
    loop.run_until_complete(t)

# 3. sleep(loop=): when the warning is emitted; 3.7 get_event_loop vs get_running_loop
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    try:
        c1 = asyncio.sleep(0, loop=loop)
        c2 = asyncio.sleep(1, loop=loop)
        print('at call', [str(x.message) for x in w])
        loop.run_until_complete(c1)
        print('after sleep(0)', [str(x.message) for x in w])
        loop.run_until_complete(c2)
        print('after sleep(1)', [str(x.message) for x in w])
    except TypeError as e:
        print('TypeError', e)
c3 = asyncio.sleep(1)
try:
    r = c3.send(None)
    print('send outside loop', type(r).__name__)
except RuntimeError as e:
    print('send outside loop RuntimeError', e)
c3.close()

# 9. ensure_future on a closed loop: is the coroutine closed?
async def c4():
    pass
loop.close()
co = c4()
try:
    asyncio.ensure_future(co, loop=loop)
except RuntimeError as e:
    print('ensure_future', e, inspect.getcoroutinestate(co))
co.close()
