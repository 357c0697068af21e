import threading, time
log=[]
t0=time.monotonic()
def now(): return round((time.monotonic()-t0)/0.05)
def worker(name, d, n):
    for i in range(n):
        time.sleep(d)
        log.append((now(), name, i))
a=threading.Thread(target=worker, args=('a',0.1,2)); b=threading.Thread(target=worker, args=('b',0.15,1))
print(a.name, b.name)
a.start(); b.start()
print(a.is_alive())
a.join(0.05); print('join timeout', now(), a.is_alive())
a.join(); b.join()
print(log, now(), a.is_alive())
