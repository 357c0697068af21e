# Several new keywords at once, and context=None, where a version lacks them:
# the C Task() counts arguments first; create_task() names the first unknown
# keyword in the order passed. The lines each version prints are quoted in
# reference/test/tasks.test.ts (3.7.16, 3.9.18, 3.10.13).
import asyncio, contextvars
async def c(): pass
async def main():
    loop = asyncio.get_running_loop()
    ctx = contextvars.copy_context()
    for kw in (dict(name='x', context=ctx), dict(loop=loop, context=ctx),
               dict(loop=loop, name='x', context=ctx), dict(context=ctx, name='x'), dict(context=None)):
        shown = [k for k in kw]
        for label, f in (('Task', lambda co: asyncio.Task(co, **kw)),
                         ('create_task', lambda co: asyncio.create_task(co, **{k: v for k, v in kw.items() if k != 'loop'}))):
            co = c()
            try:
                await f(co)
                print(label, shown, 'ok')
            except TypeError as e:
                co.close()
                print(label, shown, e)
asyncio.run(main())
