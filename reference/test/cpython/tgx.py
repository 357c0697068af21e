# 3.13's timeout(): when it expires, TimeoutError goes into the __context__
# chain of the exception leaving the block, and into each member's chain
# only if that exception is an ExceptionGroup (not a BaseExceptionGroup).
# Prints, on 3.13.0:
#   ExceptionGroup TimeoutError TimeoutError
#   BaseExceptionGroup TimeoutError CancelledError
import asyncio
class B(BaseException):
    pass
def raised(cls):
    try:
        raise cls()
    except BaseException as e:
        return e
async def main():
    for group, member in ((ExceptionGroup, ValueError), (BaseExceptionGroup, B)):
        try:
            async with asyncio.timeout(0.01):
                try:
                    await asyncio.sleep(1)
                except asyncio.CancelledError:
                    raise group('g', [raised(member)])
        except BaseExceptionGroup as g:
            print(type(g).__name__, type(g.__context__).__name__, type(g.exceptions[0].__context__).__name__)
asyncio.run(main())
