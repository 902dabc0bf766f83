import { AsyncLock } from './async-lock.js';

/** One AsyncLock per key (a server id): operations on one server run one at a time. */
export class KeyedLock {
  private readonly locks = new Map<string, { lock: AsyncLock; users: number }>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let entry = this.locks.get(key);
    if (!entry) this.locks.set(key, (entry = { lock: new AsyncLock(), users: 0 }));
    entry.users++;
    try {
      return await entry.lock.run(fn);
    } finally {
      if (--entry.users === 0) this.locks.delete(key);
    }
  }
}
