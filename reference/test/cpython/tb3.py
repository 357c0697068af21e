# The frames a traceback gathers through coroutines only (no plain functions):
# the coroutine that catches an exception is in it, and from 3.10 a future
# puts back its exception's traceback as set_exception saw it on the next
# raise only. The lines each version prints are quoted in
# reference/test/coroutines.test.ts (3.7.16, 3.9.18, 3.10.13, 3.11.7,
# 3.12.1, 3.13.0).
import asyncio, traceback
def names(e):
    return [f.name for f in traceback.extract_tb(e.__traceback__)]
async def a():
    raise ValueError('x')
async def waiter(label, t):
    try:
        await t
    except ValueError as e:
        print(label, names(e))
async def mid():
    await a()
async def main():
    A = asyncio.ensure_future(a())
    await asyncio.sleep(0)
    await waiter('done task', A)
    await waiter('done task again', A)
    B = asyncio.ensure_future(a())
    await waiter('pending task', B)
    try:
        await mid()
    except ValueError as e:
        print('chain', names(e))
    C = asyncio.ensure_future(a())
    await waiter('awaited', C)
    print('stack', [f.f_code.co_name for f in C.get_stack()])
asyncio.run(main())
