/**
 * The reference runtime's public surface. `createAsyncio` is the entry
 * point; the rest is exported for adapters, the interpreter and tests.
 */
export * from './versions';
export * from './exceptions';
export * from './warnings';
export * from './contextvars';
export * from './heapq';
export * from './clock';
export * from './coroutines';
export * from './events';
export * from './futures';
export * from './tasks';
export * from './base_events';
export * from './runners';
export * from './asyncio';

// The combinators and threads, named explicitly: several of these modules
// export an `attach` hook for asyncio.ts, which must not clash here.
export { FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from './wait';
export { Timeout, asyncWith } from './timeouts';
export { ThreadScheduler, Thread, Blocking, runBlocking, timeSleep, timeSleepGen, threadingModule } from './threads';
export { ThreadPoolExecutor, installThreads } from './executor';
export { ConcurrentFuture, concurrentErrors } from './concurrent_futures';
