import type { Logger } from '../logging/logger.js';
import type { Registry } from '../registry/registry.js';
import type { ServerRecord } from '../registry/server-record.js';
import type { ChildPool } from './child-pool.js';
import { isServing } from './targets.js';

const PROBE_MS = 2000;

/**
 * Children that did not answer: out of the lists until a ping (every 2 s) answers again.
 * `changed` is called whenever the set changes.
 */
export class Liveness {
  private readonly down = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  /** A round under way: a slow child must not make rounds pile up. */
  private probing = false;

  constructor(
    private readonly deps: { registry: Registry; pool: ChildPool; log: Logger; changed: (serverId: string) => void },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.probe(), PROBE_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  isDown(serverId: string): boolean {
    return this.down.has(serverId);
  }

  markDown(member: ServerRecord, err: Error): void {
    if (this.down.has(member.id)) return;
    this.down.add(member.id);
    this.deps.log.warn({ server: member.id, name: member.name, err: err.message }, 'child unreachable: out of the gateway until it answers');
    void this.deps.pool.close(member.id);
    this.deps.changed(member.id);
  }

  /** Forgets a server that no longer serves (stopped or deleted): it is tried afresh when it starts. */
  forget(serverId: string): void {
    this.down.delete(serverId);
  }

  private async probe() {
    if (this.probing) return;
    this.probing = true;
    try {
      for (const id of [...this.down]) {
        if (!this.timer) return;
        const record = this.deps.registry.get(id);
        if (!record || !isServing(record)) {
          this.down.delete(id);
          continue;
        }
        const answered = await this.deps.pool.use(record, (c) => c.ping({ timeout: PROBE_MS })).then(() => true, () => false);
        if (answered && this.down.delete(id)) this.deps.changed(id);
      }
    } finally {
      this.probing = false;
    }
  }
}
