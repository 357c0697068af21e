from vt import *
async def val(d, v):
    await asyncio.sleep(d); return v
async def main():
    loop = asyncio.get_running_loop()
    for c in asyncio.as_completed([val(1, 'a')], loop=loop):
        p(await c)
    t = asyncio.ensure_future(val(1, 'b'))
    p(await asyncio.wait_for(t, 2, loop=loop))
    p(await asyncio.shield(val(1, 'c'), loop=loop))
asyncio.run(main())
