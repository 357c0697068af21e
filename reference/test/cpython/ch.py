# In debug mode, loop._current_handle during a task's step is a Handle.
# Prints on 3.12.1: Handle <Handle <_asyncio.TaskStepMethWrapper object False
# (3.8.18: Handle <Handle <TaskStepMethWrapper object False)
import asyncio
async def main():
    h = asyncio.get_running_loop()._current_handle
    print(type(h).__name__, repr(h).split(' at ')[0], h.cancelled())
asyncio.run(main(), debug=True)
