# to_thread / run_in_executor of an `async def` function: the thread calls it,
# which only creates the coroutine object; the awaiter receives that object.
import asyncio, sys
print(sys.version.split()[0])
ran = []
async def af():
    ran.append('body')
    return 1
async def main():
    loop = asyncio.get_event_loop()
    r = await loop.run_in_executor(None, af)
    print('run_in_executor', type(r).__name__, asyncio.iscoroutine(r), ran)
    print('awaited', await r, ran)
    if sys.version_info >= (3, 9):
        r = await asyncio.to_thread(af)
        print('to_thread', type(r).__name__, asyncio.iscoroutine(r), ran)
        print('awaited', await r, ran)
asyncio.new_event_loop().run_until_complete(main())
