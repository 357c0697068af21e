# A failed task's stack names asyncio's own frames by co_name (__aexit__, not
# TaskGroup.__aexit__). Prints on 3.11.7, 3.12.1 and 3.13.0:
#   ExceptionGroup ['inner', '__aexit__']
import asyncio
async def boom():
    raise ValueError('x')
async def inner():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(boom())
async def main():
    t = asyncio.ensure_future(inner())
    await asyncio.sleep(0.1)
    print(type(t.exception()).__name__, [f.f_code.co_name for f in t.get_stack()])
asyncio.run(main())
