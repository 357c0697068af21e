# gather() with repeated arguments: each distinct future or coroutine is
# gathered once (one done callback, one task), its result at every position.
# Run on 3.7.16 ... 3.13.0: the lines are quoted in reference/test/gather.test.ts.
import asyncio
async def c(x):
    await asyncio.sleep(0)
    return x
async def main():
    loop = asyncio.get_running_loop()
    f1, f2 = loop.create_future(), loop.create_future()
    co = c('co')
    done = loop.create_future(); done.set_result('d')
    g = asyncio.gather(f1, f2, f1, co, f1, co, done, done, f2)
    print(len(f1._callbacks or []), len(f2._callbacks or []))
    print(len(asyncio.all_tasks()) - 1)
    f1.set_result(1); f2.set_result(2)
    print(await g)
    t = asyncio.ensure_future(c('t'))
    print(await asyncio.gather(t, t, t))
asyncio.run(main())
