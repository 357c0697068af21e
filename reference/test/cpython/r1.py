from vt import *
async def val(d, v):
    await asyncio.sleep(d); return v
async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, c: p('handler', c['message'], repr(c.get('exception'))))
    def fac(loop, coro, **kw): raise ValueError('factory')
    loop.set_task_factory(fac)
    c = val(1,'x')
    f = asyncio.run_coroutine_threadsafe(c, loop)
    await asyncio.sleep(0.5)
    loop.set_task_factory(None)
    p(repr(f.exception()), f.done())
    c.close()
    f = asyncio.run_coroutine_threadsafe(val(1, 'y'), loop)
    await asyncio.sleep(0)
    p('cancel', f.cancel())
    await asyncio.sleep(2)
    p(f.cancelled())
asyncio.run(main())
