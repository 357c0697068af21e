# Prints on 3.7.16: concurrent.futures._base TimeoutError True ('t',)
#   on 3.8.18: asyncio.exceptions TimeoutError False ('t',)
#   on 3.11.7 and 3.12.1: builtins TimeoutError False ('t',)
#   on 3.13.0: builtins TimeoutError True ('t',)
# run_coroutine_threadsafe / wrap_future: is the exception that reaches the
# other side the same object? 3.7 passes it on; 3.8+ rebuilds a
# concurrent.futures CancelledError/TimeoutError as asyncio's;
# 3.13 passes TimeoutError (the builtin on both sides) on as is.
import asyncio, concurrent.futures, threading
async def main():
    loop = asyncio.get_running_loop()
    cf = concurrent.futures.Future()
    e = concurrent.futures.TimeoutError('t')
    cf.set_exception(e)
    f = asyncio.wrap_future(cf)
    try:
        await f
    except BaseException as got:
        print(type(got).__module__, type(got).__name__, got is e, got.args)
asyncio.run(main())
