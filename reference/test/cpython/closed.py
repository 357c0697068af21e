# A future of a closed loop: completing it with a callback, or adding a
# callback once done, goes through call_soon and raises; completing it with
# no callback does not. Prints on 3.7.16 and 3.12.1:
#   set_result with callback RuntimeError('Event loop is closed') True
#   set_result without ok True True
#   add_done_callback when done RuntimeError('Event loop is closed') True
import asyncio
loop = asyncio.new_event_loop()
f = loop.create_future(); f.add_done_callback(print)
g = loop.create_future()
loop.close()
for label, call in (('set_result with callback', lambda: f.set_result(1)), ('set_result without', lambda: g.set_result(1)), ('add_done_callback when done', lambda: g.add_done_callback(print))):
    try: call(); print(label, 'ok', f.done(), g.done())
    except RuntimeError as e: print(label, repr(e), f.done())
