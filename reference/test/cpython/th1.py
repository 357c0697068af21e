import asyncio, time, threading, contextvars, sys, concurrent.futures
U = 0.05
t0 = time.monotonic()
def now(): return round((time.monotonic()-t0)/U*2)/2
def p(*a): print(now(), *a, flush=True)
cv = contextvars.ContextVar('cv', default='default')
def blocking(n, d):
    p('thread start', n, cv.get(), threading.current_thread().name)
    time.sleep(d*U)
    cv.set('changed')
    p('thread end', n)
    return n*10
async def ticker(k):
    for i in range(3):
        await asyncio.sleep(1*U); p('tick', k, i)
async def coro(x):
    await asyncio.sleep(1*U); return x+1
async def main():
    cv.set('main-value')
    t = asyncio.create_task(ticker('a'))
    r = await asyncio.gather(asyncio.to_thread(blocking, 1, 2.5), asyncio.to_thread(blocking, 2, 1.5))
    p(r, cv.get())
    await t
    t2 = asyncio.create_task(ticker('b'))
    await asyncio.sleep(0)
    time.sleep(2.5*U)
    p('main slept')
    await t2
    loop = asyncio.get_running_loop()
    def th():
        f = asyncio.run_coroutine_threadsafe(coro(5), loop)
        p('thread got', f.result())
        f2 = asyncio.run_coroutine_threadsafe(coro(6), loop)
        try: f2.result(timeout=0.5*U)
        except concurrent.futures.TimeoutError as e: p('rcts timeout', type(e).__name__)
        p('cancel', f2.cancel(), f2.cancelled())
        return 'th'
    p(await asyncio.to_thread(th))
    await asyncio.sleep(2*U)
    p('done')
asyncio.run(main())
