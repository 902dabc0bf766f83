/** Wait before re-attach attempt `attempt` (0-based): 0.5 s doubling, never above `maxMs`. */
export function backoffMs(attempt: number, maxMs: number, baseMs = 500): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
}
