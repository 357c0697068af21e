import { createAsyncio, Asyncio } from '../asyncio';
export function py(version = '3.10'): Asyncio {
  return createAsyncio({ python: version });
}
