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
