import { setTimeout as delay } from 'node:timers/promises';

/**
 * Calls `probe` until `done` holds for its result, and returns that result; fails with `what` and
 * the last result when `timeoutMs` passes. The way tests wait for something to happen: never sleep.
 */
export async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (err) {
      lastError = err;
    }
    await delay(everyMs);
  }
  const detail = last !== undefined ? JSON.stringify(last).slice(0, 2000) : String(lastError);
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${detail}`);
}
