import type { ForgeConfig } from '../config/forge-config.js';
import { ForgeError } from '../errors/forge-error.js';
import type { Registry } from '../registry/registry.js';
import type { ServerRecord } from '../registry/server-record.js';
import type { Caller } from './caller.js';
import { RateLimiter } from './rate-limiter.js';

const over = (limit: string, value: number, what: string) =>
  new ForgeError('limit_exceeded', `quota ${limit} (${value}) reached: ${what}`);

/** Quotas and rate limits, checked before anything is created so a refusal leaves nothing behind. */
export class Quotas {
  private readonly creates: RateLimiter;

  constructor(
    private readonly config: ForgeConfig,
    private readonly registry: Registry,
  ) {
    this.creates = new RateLimiter(() => config.quotas.creates_per_minute_per_token);
  }

  /** The per-token create rate; call first. */
  admitCreate(caller: Caller): void {
    if (!this.creates.take(caller.name)) {
      const limit = this.config.quotas.creates_per_minute_per_token!;
      throw over('creates_per_minute_per_token', limit, `token "${caller.name}" may create ${limit} servers a minute`);
    }
  }

  /** Totals for a new server; call under the registry lock, before the entry is written. */
  checkNewServer(owner: string): void {
    const q = this.config.quotas;
    const servers = this.registry.list();
    if (q.max_servers !== null && servers.length >= q.max_servers) throw over('max_servers', q.max_servers, 'too many servers');
    const mine = servers.filter((s) => (s.owner ?? 'anonymous') === owner).length;
    if (q.max_servers_per_token !== null && mine >= q.max_servers_per_token) {
      throw over('max_servers_per_token', q.max_servers_per_token, `token "${owner}" has ${mine} servers`);
    }
    this.checkRunning(null);
  }

  /** Whether one more server may run (`record` is the one about to start, if it exists). */
  checkRunning(record: ServerRecord | null): void {
    const max = this.config.quotas.max_running;
    if (max === null) return;
    const running = this.registry.list().filter((s) => s.desired === 'running' && s.phase !== 'deleting' && s.id !== record?.id).length;
    if (running >= max) throw over('max_running', max, `${running} servers are meant to be running`);
  }
}
