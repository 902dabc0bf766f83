/** A group session pinned to one member: the member that answered its initialize. */
interface Pin {
  serverId: string;
  lastSeen: number;
}

/**
 * Which group member holds each proxied session (Streamable HTTP session id or SSE session id).
 * A session stays on its member; one idle past `idleMs` is forgotten, as the member forgets it.
 */
export class PinnedSessions {
  private readonly pins = new Map<string, Pin>();

  constructor(private readonly idleMs: number) {}

  pin(sessionId: string, serverId: string): void {
    this.pins.set(sessionId, { serverId, lastSeen: Date.now() });
  }

  /** The member holding the session, or undefined when the session is unknown or expired. */
  memberOf(sessionId: string): string | undefined {
    const pin = this.pins.get(sessionId);
    if (!pin) return undefined;
    if (Date.now() - pin.lastSeen > this.idleMs) {
      this.pins.delete(sessionId);
      return undefined;
    }
    pin.lastSeen = Date.now();
    return pin.serverId;
  }

  unpin(sessionId: string): void {
    this.pins.delete(sessionId);
  }

  /** Open pinned sessions per member (the least loaded member takes the next session). */
  countsByServer(): Map<string, number> {
    const counts = new Map<string, number>();
    const cutoff = Date.now() - this.idleMs;
    for (const [id, pin] of this.pins) {
      if (pin.lastSeen < cutoff) this.pins.delete(id);
      else counts.set(pin.serverId, (counts.get(pin.serverId) ?? 0) + 1);
    }
    return counts;
  }
}
