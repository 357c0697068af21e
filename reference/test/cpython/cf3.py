# concurrent.futures.Future repr: the type name of a result / exception.
import asyncio, re, concurrent.futures as cf
async def coro(): pass
def show(v, raised=False):
    f = cf.Future()
    f.set_exception(v) if raised else f.set_result(v)
    print(re.sub(r'0x[0-9a-f]+', '0x?', repr(f)))
c = coro()
for v in ([1], c, None, 1, 1.5, 'x', True, {1}, {1: 2}, (1,)): show(v)
c.close()
show(ValueError('v'), True)
