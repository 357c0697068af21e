# In debug mode, loop._current_handle during a task's step is a Handle.
# Prints, addresses and 'created at' removed, on 3.12.1 and 3.13.0:
#   Handle <Handle <_asyncio.TaskStepMethWrapper object>()> False
# and on 3.7.16-3.11.7: Handle <Handle <TaskStepMethWrapper object>()> False
import asyncio, re
async def main():
    h = asyncio.get_running_loop()._current_handle
    r = re.sub(r' at 0x[0-9a-f]+', '', repr(h))
    r = re.sub(r' created at [^>]+', '', r)
    print(type(h).__name__, r, h.cancelled())
asyncio.run(main(), debug=True)
