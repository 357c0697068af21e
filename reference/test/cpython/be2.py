# call_later/call_at(None), the debug-mode slow-callback message for task
# steps and wake-ups, and which exceptions escape call_exception_handler.
import asyncio, logging, re, sys, time
print(sys.version.split()[0])
loop = asyncio.new_event_loop()
for name, f in (('call_later', loop.call_later), ('call_at', loop.call_at)):
    try:
        f(None, print)
        print(name, 'scheduled')
    except BaseException as e:
        print(name, type(e).__name__, repr(str(e)))

msgs = []
class H(logging.Handler):
    def emit(self, r):
        msgs.append(r.getMessage())
logging.getLogger('asyncio').addHandler(H())
loop.set_debug(True)
async def slow_first():
    time.sleep(0.2)
async def slow_after_wakeup():
    fut = loop.create_future()
    loop.call_soon(fut.set_result, None)
    await fut
    time.sleep(0.2)
loop.run_until_complete(slow_first())
loop.run_until_complete(slow_after_wakeup())
for m in msgs:
    if 'took' in m:
        m = re.sub(r'took [0-9.]+', 'took X', m)
        m = re.sub(r'(defined|running|created) at [^ >]*', r'\1 at F', m)
        print(m)
loop.set_debug(False)

class B(BaseException):
    pass
def handler(loop, ctx):
    raise B('from handler')
def boom():
    raise ValueError('boom')
loop.set_exception_handler(handler)
loop.call_soon(boom)
loop.call_soon(loop.stop)
msgs.clear()
try:
    loop.run_forever()
    print('handler B', 'caught', msgs[-1].splitlines()[0])
except B:
    print('handler B', 'escaped')
loop.close()
try:
    loop.call_at(None, print)
except BaseException as e:
    print('closed call_at', type(e).__name__, repr(str(e)))
