/**
 * Turns a condition sampled over and over (usage over a limit) into single alerts: it fires when
 * the condition becomes true, not while it stays true, and not again within `cooldownMs`.
 * Repeated one-off events (exits in a crash loop) are held back by the same cooldown.
 */
export class ThresholdGate {
  private readonly state = new Map<string, { over: boolean; firedAt: number }>();

  constructor(private readonly cooldownMs: number) {}

  /** True when `key` just crossed over and may alert now. */
  crossed(key: string, over: boolean, now: number): boolean {
    const entry = this.state.get(key) ?? { over: false, firedAt: -Infinity };
    const fire = over && !entry.over && now - entry.firedAt >= this.cooldownMs;
    // While held back by the cooldown the crossing stays unreported, so a later sample can still fire.
    this.state.set(key, { over: over && (entry.over || fire), firedAt: fire ? now : entry.firedAt });
    return fire;
  }

  /** For one-off events (an exit): true unless `key` fired within the cooldown. */
  event(key: string, now: number): boolean {
    const entry = this.state.get(key);
    if (entry && now - entry.firedAt < this.cooldownMs) return false;
    this.state.set(key, { over: false, firedAt: now });
    return true;
  }

  /** Forgets every key starting with `prefix` (a deleted server). */
  forget(prefix: string): void {
    for (const key of this.state.keys()) if (key.startsWith(prefix)) this.state.delete(key);
  }
}
