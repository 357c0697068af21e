# Future.remove_done_callback: count, order and registration contexts of what stays.
import asyncio, contextvars
v = contextvars.ContextVar('v', default='unset')
async def main():
    f = asyncio.get_running_loop().create_future()
    seen = []
    def a(fut): seen.append('a sees ' + v.get())
    def b(fut): seen.append('b sees ' + v.get())
    def c(fut): seen.append('c sees ' + v.get())
    v.set('1'); f.add_done_callback(a); f.add_done_callback(b)
    v.set('2'); f.add_done_callback(a); f.add_done_callback(c)
    v.set('3'); f.add_done_callback(a)
    print('removed a', f.remove_done_callback(a))
    print('removed a again', f.remove_done_callback(a))
    f.set_result(None)
    await asyncio.sleep(0)
    print(seen)
asyncio.run(main())
