# 3.13 made as_completed() an _AsCompletedIterator: its callbacks and the
# coroutines it yields are named as methods, and it registers at once.
# Prints (file and line aside), on 3.12.1:
#   <Task pending name='Task-2' coro=<v() running at FILE:2>>
#   as_completed.<locals>._wait_for_one
#   1
# and on 3.13.0:
#   <Task pending name='Task-2' coro=<v() running at FILE:2> cb=[_AsCompletedIterator._handle_completion()]>
#   _AsCompletedIterator._wait_for_one
#   1
import asyncio
async def v(x):
    await asyncio.sleep(1)
    return x
async def main():
    t = asyncio.create_task(v(1))
    it = asyncio.as_completed([t], timeout=5)
    print(repr(t))
    c = next(iter(it))
    print(c.__qualname__)
    print(await c)
asyncio.run(main())
