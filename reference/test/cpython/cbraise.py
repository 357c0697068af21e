# A future's done callbacks that raise: each goes to the loop's exception
# handler as "Exception in callback NAME(<Future ...>)" with its Handle.
# Prints on 3.7.16, 3.10.13 and 3.12.1 (" at FILE:LINE" after each callback aside):
#   Exception in callback first(<Future finished result=1>) | <Handle first(<Future finished result=1>)> | ValueError('one')
#   Exception in callback second(<Future finished result=1>) | <Handle second(<Future finished result=1>)> | ValueError('two')
# and on 3.13.0, which shows arguments only in debug mode:
#   Exception in callback first() | <Handle first()> | ValueError('one')
#   Exception in callback second() | <Handle second()> | ValueError('two')
import asyncio
def first(f):
    raise ValueError('one')
def second(f):
    raise ValueError('two')
async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, ctx: print(ctx['message'], '|', repr(ctx['handle']), '|', repr(ctx['exception'])))
    f = loop.create_future()
    f.add_done_callback(first)
    f.add_done_callback(second)
    f.set_result(1)
    await asyncio.sleep(0)
asyncio.run(main())
