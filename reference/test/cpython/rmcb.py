# Once a future is done its callbacks are scheduled: remove_done_callback
# finds none (0) and they run anyway; one added afterwards runs after them.
# Prints "0 0", "<Future finished result=1>", "['a', 'b', 'a']" on
# 3.7.16, 3.8.18, 3.9.18, 3.10.13, 3.11.7, 3.12.1 and 3.13.0.
import asyncio
async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    out = []
    def a(f): out.append('a')
    def b(f): out.append('b')
    fut.add_done_callback(a)
    fut.add_done_callback(b)
    fut.set_result(1)
    print(fut.remove_done_callback(a), fut.remove_done_callback(b))
    fut.add_done_callback(a)
    print(repr(fut))
    await asyncio.sleep(0)
    print(out)
asyncio.run(main())
