import asyncio, time, threading
U=0.05; t0=time.monotonic()
def now(): return round((time.monotonic()-t0)/U*2)/2
log=[]
def w(): time.sleep(1*U); log.append(f'thread {now()} {threading.current_thread().name}')
async def other(): await asyncio.sleep(1*U); log.append(f'other {now()}')
async def main():
    o = asyncio.create_task(other())
    t = threading.Thread(target=w, name='w'); t.start()
    await asyncio.sleep(0)
    time.sleep(2*U)
    log.append(f'main {now()} {threading.current_thread() is threading.main_thread()}')
    await o
asyncio.run(main()); print(log)
