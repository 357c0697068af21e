# A task finished from outside (Future.set_result(task, 5)) while its first
# step is still queued: the step reports InvalidStateError, then the
# handles queued after it run, then the done callback. Prints on 3.7.16 and
# 3.10.13 (3.12.1 and 3.13.0 say <_asyncio.TaskStepMethWrapper ...>):
#   handler: Exception in callback <TaskStepMethWrapper object at 0x...>() InvalidStateError
#   marker
#   cb 5
import asyncio, sys
async def c():
    print('coro ran')
async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, ctx: print('handler:', ctx['message'], type(ctx.get('exception')).__name__))
    t = asyncio.ensure_future(c())
    t.add_done_callback(lambda f: print('cb', f.result()))
    loop.call_soon(print, 'marker')
    asyncio.Future.set_result(t, 5)
    for i in range(3): await asyncio.sleep(0)
asyncio.run(main())
