# Task.cancel(msg): what the coroutine sees at its await, what the awaiter
# of the task sees (and its __context__), and what result() raises.
# cancel(msg) exists from 3.9.
import asyncio
out = []
async def child():
    try: await asyncio.sleep(10)
    except BaseException as e: out.append('inner ' + repr(e)); raise
async def main():
    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    t.cancel('boom')
    try: await t
    except BaseException as e: out.append(f'await {e!r} {e.__context__!r}')
    try: t.result()
    except BaseException as e: out.append('result ' + repr(e))
asyncio.run(main())
print(out)
