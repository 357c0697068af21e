# A future's done callback runs in a copy of the context current at
# add_done_callback time; what it sets stays in that copy.
import asyncio, contextvars
seen=[]
async def main():
    v = contextvars.ContextVar('v', default='unset')
    f = asyncio.get_running_loop().create_future()
    v.set('at registration')
    def cb(_): seen.append(f'cb sees {v.get()}'); v.set('set by cb')
    f.add_done_callback(cb); f.add_done_callback(cb)
    v.set('after registration'); f.set_result(None); await asyncio.sleep(0)
    seen.append(f'main sees {v.get()}')
asyncio.run(main()); print(seen)
