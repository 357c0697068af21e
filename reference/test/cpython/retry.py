# A step retried after a bad yield (a Handle of its own) is named by its task
# when slow in debug mode. Prints on 3.7.16, 3.10.13, 3.12.1, 3.13.0 (3.7: no
# name=; file names, lines and 'created at' aside):
#   caught Task got bad yield: 42
#   Executing <Task finished name='Task-1' coro=<main() done, defined at F> result=None created at F> took 0.2.. seconds
import asyncio, time, types, logging, sys
logging.basicConfig(level=logging.WARNING, format='%(message)s', stream=sys.stdout)
@types.coroutine
def bad():
    try:
        yield 42
    except RuntimeError as e:
        print('caught', e)
        time.sleep(0.2)
async def main():
    await bad()
loop = asyncio.new_event_loop()
loop.set_debug(True)
loop.slow_callback_duration = 0.1
loop.run_until_complete(main())
