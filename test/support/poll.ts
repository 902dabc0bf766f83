import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls `probe` until it resolves to something other than undefined (a thrown error counts
 * as not yet), or fails at the deadline with the last error. Tests never sleep to wait.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'no attempt';
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = 'not yet';
    } catch (err) {
      last = err;
    }
    await delay(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${last instanceof Error ? last.message : String(last)}`);
}

/** `until` for a probe whose result is checked by `done`; the failure names the last result. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  let last: T | undefined;
  try {
    return await until(what, async () => ((last = await probe()), done(last) ? last : undefined), timeoutMs, everyMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
  }
}
