# Default task names: Task-N from one process-wide counter. The tasks
# asyncio.run() creates at shutdown advance it; a task given name= takes a
# number up to 3.12 and none on 3.13.
import asyncio
out=[]
async def c(): pass
async def main():
    t = asyncio.create_task(c()); asyncio.create_task(c(), name='x'); t3 = asyncio.create_task(c())
    out.append(' '.join([asyncio.current_task().get_name(), t.get_name(), t3.get_name()]))
asyncio.run(main()); asyncio.run(main()); print(out)
