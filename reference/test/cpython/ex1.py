import asyncio, time, threading, sys, warnings
warnings.simplefilter('always')
warnings.showwarning = lambda m, c, *a, **k: p('WARN', c.__name__, str(m))
minor = sys.version_info[1]
U=0.05
t0=time.monotonic()
def now(): return round((time.monotonic()-t0)/U*2)/2
def p(*a): print(now(), *a, flush=True)
def job(x):
    p('job', x, threading.current_thread().name); time.sleep(1*U); return x*2
def failing(): time.sleep(0.5*U); raise ValueError('job failed')
async def main():
    loop = asyncio.get_running_loop()
    p(await loop.run_in_executor(None, job, 1))
    try: await loop.run_in_executor(None, failing)
    except ValueError as e: p('failed', repr(e))
    f = loop.run_in_executor(None, job, 2); f.cancel()
    try: await f
    except asyncio.CancelledError: p('cancelled', f.cancelled())
    await asyncio.sleep(2*U)
    if minor >= 12:
        loop.run_in_executor(None, time.sleep, 3*U)
        await loop.shutdown_default_executor(timeout=1*U)
        p('after shutdown')
asyncio.run(main())
p('end')
