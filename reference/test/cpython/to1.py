# Timeout repr while active: when=round(self._when, 3) (3.11+).
import asyncio
async def main():
    for when in (0.0625, 0.0635, 2.675, 1.0005, 123.4565, None):
        async with asyncio.timeout_at(when) as t:
            print(repr(t))
asyncio.run(main())
