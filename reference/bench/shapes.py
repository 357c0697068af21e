"""The CPython side of the reference runtime's speed benchmark.

Six shapes of asyncio work, each timed inside its own ``asyncio.run`` on the
normal event loop (no real sleeps: ``sleep(0)`` and never-firing timeouts
only). ``reference/bench/run.ts`` spawns this file and runs the same shapes,
written the same way, on the TypeScript reference runtime; keep the two in
step (same loop bodies, same checks).

Usage: python3 shapes.py [--scale F] [--repeat K] [--only NAME,...] [--clock wall|cpu]
Prints one JSON object per shape, one per line:
    {"shape": NAME, "n": OPS, "best_us": US_PER_OP, "runs_us": [...], "check": STR}
and, for the gather shape, "bytes_per_task" (tracemalloc, an untimed run).

Each shape's coroutine returns (seconds, check); the clock starts after the
setup that is not part of the operation and stops before asyncio.run's
shutdown. ``check`` is an observable result (a count and a sum) that the
driver compares across the two runtimes, so a broken runtime cannot look fast.
"""
import argparse
import asyncio
import json
import sys
import time
import tracemalloc

# Shape 6 awaits 1000 coroutines deep; each level is a frame.
sys.setrecursionlimit(10_000)

# The stopwatch: wall time by default; --clock cpu uses process CPU time,
# steadier when the machine is oversubscribed.
perf = time.perf_counter


async def sleep0(n):
    """(1) One task doing n sleep(0) switches."""
    count = 0
    t0 = perf()
    for _ in range(n):
        await asyncio.sleep(0)
        count += 1
    return perf() - t0, f"switches={count}"


async def child(i):
    return i


async def gather_tasks(n):
    """(2) create_task of n tasks, then gather them."""
    t0 = perf()
    tasks = [asyncio.create_task(child(i)) for i in range(n)]
    results = await asyncio.gather(*tasks)
    dt = perf() - t0
    return dt, f"len={len(results)} sum={sum(results)}"


async def waiter(fut):
    return await fut


async def future_set_result(n):
    """(3) n times: a future, a task awaiting it, set_result, await the task."""
    loop = asyncio.get_running_loop()
    total = 0
    t0 = perf()
    for i in range(n):
        fut = loop.create_future()
        task = asyncio.create_task(waiter(fut))
        await asyncio.sleep(0)  # the task is now blocked on fut
        fut.set_result(i)
        total += await task
    return perf() - t0, f"sum={total}"


async def blocked():
    await asyncio.get_running_loop().create_future()


async def cancel_gather(n):
    """(4) n tasks blocked on their own futures; time cancelling all + gather(return_exceptions=True)."""
    tasks = [asyncio.create_task(blocked()) for _ in range(n)]
    await asyncio.sleep(0)  # every task is now blocked
    t0 = perf()
    for t in tasks:
        t.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    dt = perf() - t0
    cancelled = sum(1 for r in results if isinstance(r, asyncio.CancelledError))
    return dt, f"len={len(results)} cancelled={cancelled}"


async def wait_for_no_timeout(n):
    """(5) n times: wait_for(coroutine, 10) that finishes long before the timeout."""
    total = 0
    t0 = perf()
    for i in range(n):
        total += await asyncio.wait_for(child(i), 10)
    return perf() - t0, f"sum={total}"


async def chain(depth):
    if depth == 0:
        await asyncio.sleep(0)
        return 1
    return 1 + await chain(depth - 1)


async def await_chain(n):
    """(6) n times: a coroutine awaiting a coroutine 1000 deep; the innermost does one sleep(0)."""
    total = 0
    t0 = perf()
    for _ in range(n):
        total += await chain(999)
    return perf() - t0, f"sum={total}"


# name -> (coroutine function, ops at scale 1)
SHAPES = {
    "sleep0": (sleep0, 200_000),
    "gather": (gather_tasks, 100_000),
    "future": (future_set_result, 50_000),
    "cancel": (cancel_gather, 10_000),
    "wait_for": (wait_for_no_timeout, 50_000),
    "chain": (await_chain, 200),
}


def bytes_per_task(n):
    """Untimed: tracemalloc'd bytes held per task once n tasks exist and gather() has been called."""
    async def main():
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        tasks = [asyncio.create_task(child(i)) for i in range(n)]
        g = asyncio.gather(*tasks)
        used = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        await g
        return used / n
    return asyncio.run(main())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--only", default="")
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = p.parse_args()
    global perf
    perf = time.process_time if args.clock == "cpu" else time.perf_counter
    only = [s for s in args.only.split(",") if s]
    for name, (fn, base_n) in SHAPES.items():
        if only and name not in only:
            continue
        n = max(1, int(base_n * args.scale))
        asyncio.run(fn(max(1, n // 10)))  # warm-up: allocator, caches
        runs, check = [], None
        for _ in range(args.repeat):
            dt, check = asyncio.run(fn(n))
            runs.append(dt * 1e6 / n)
        out = {"shape": name, "n": n, "best_us": min(runs), "runs_us": runs, "check": check}
        if name == "gather":
            out["bytes_per_task"] = bytes_per_task(n)
        print(json.dumps(out), flush=True)
    print(json.dumps({"python": sys.version.split()[0], "implementation": sys.implementation.name}), flush=True)


if __name__ == "__main__":
    main()
