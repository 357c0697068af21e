# name= (3.8) and context= (3.11) refused by older versions, and the Task
# methods later versions added, missing before. Run on 3.7.16 ... 3.13.0;
# the lines each version prints are quoted in reference/test/tasks.test.ts.
import asyncio, contextvars, sys
async def c(): pass
async def main():
    ctx = contextvars.copy_context()
    loop = asyncio.get_running_loop()
    for label, f in (('Task name', lambda co: asyncio.Task(co, name='x')),
                     ('loop.create_task name', lambda co: loop.create_task(co, name='x')),
                     ('create_task name', lambda co: asyncio.create_task(co, name='x')),
                     ('Task context', lambda co: asyncio.Task(co, context=ctx)),
                     ('loop.create_task context', lambda co: loop.create_task(co, context=ctx)),
                     ('create_task context', lambda co: asyncio.create_task(co, context=ctx))):
        co = c()
        try:
            await f(co)
            print(label, 'ok')
        except TypeError as e:
            co.close()
            print(label, repr(e))
    t = asyncio.create_task(c())
    for m in ('get_name', 'set_name', 'get_coro', 'cancelling', 'uncancel', 'get_context'):
        try:
            getattr(t, m)
        except AttributeError as e:
            print(e)
    await t
asyncio.run(main())
