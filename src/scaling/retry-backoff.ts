import { backoffMs } from '../monitor/backoff.js';

/** Waits after failures, per key: 0.5 s, 1 s, 2 s … up to `maxMs`; a success forgets the key. */
export class RetryBackoff {
  private readonly failures = new Map<string, { attempts: number; nextAt: number }>();

  constructor(private readonly maxMs: number) {}

  ready(key: string, now = Date.now()): boolean {
    const entry = this.failures.get(key);
    return !entry || now >= entry.nextAt;
  }

  failed(key: string, now = Date.now()): void {
    const attempts = (this.failures.get(key)?.attempts ?? 0) + 1;
    this.failures.set(key, { attempts, nextAt: now + backoffMs(attempts - 1, this.maxMs) });
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}
