# Timers with equal deadlines fire in heapq order, not insertion order
# (TimerHandle compares by `when` only); the second half is the same heap
# built directly with heapq and one later key.
import asyncio
loop = asyncio.new_event_loop(); out=[]
w = loop.time() + 0.05
for i in range(6): loop.call_at(w, out.append, i)
loop.call_at(w+0.05, loop.stop)
loop.run_forever(); print(out)
import heapq
class K:
    def __init__(s,k,v): s.k=k; s.v=v
    def __lt__(s,o): return s.k<o.k
h=[]
for i in range(6): heapq.heappush(h, K(1,i))
heapq.heappush(h, K(2,99))
print([heapq.heappop(h).v for _ in range(7)])
