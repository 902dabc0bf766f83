import type { ServerRecord } from '../registry/server-record.js';
import { UnreachableError, type ChildPool } from './child-pool.js';

/**
 * Sends each call to the member with the fewest calls in flight and, when that member cannot
 * be reached, to the next one (a member that was reached and answered, even with an error,
 * is never asked twice: the call may have had effects).
 */
export class Router {
  /** Calls sent to each member: the tie-break, so calls one after another go round the members. */
  private readonly sent = new Map<string, number>();

  constructor(
    private readonly pool: ChildPool,
    private readonly onUnreachable: (member: ServerRecord, err: Error) => void,
  ) {}

  /** Members in the order they would be tried: fewest calls in flight first, then fewest sent. */
  order(members: ServerRecord[]): ServerRecord[] {
    const sent = (id: string) => this.sent.get(id) ?? 0;
    return [...members].sort((a, b) => this.pool.inFlight(a.id) - this.pool.inFlight(b.id) || sent(a.id) - sent(b.id) || a.id.localeCompare(b.id));
  }

  forget(serverId: string): void {
    this.sent.delete(serverId);
  }

  async run<T>(prefix: string, members: ServerRecord[], fn: (member: ServerRecord) => Promise<T>): Promise<T> {
    let last: Error | null = null;
    for (const member of this.order(members)) {
      this.sent.set(member.id, (this.sent.get(member.id) ?? 0) + 1);
      try {
        return await fn(member);
      } catch (err) {
        if (!(err instanceof UnreachableError)) throw err;
        this.onUnreachable(member, err);
        last = err;
      }
    }
    throw new UnreachableError(last ? last.message : `"${prefix}" has no running member that answers`);
  }
}
