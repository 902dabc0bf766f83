import type { ErrorCode } from '../errors/forge-error.js';
import type { Logger } from '../logging/logger.js';
import { RingBuffer } from '../monitor/ring-buffer.js';

/**
 * What the scaler did or meant to do: a rule's action, `top_up` (below min_instances), `trim`
 * (above max_instances), `repair` (a member whose container is gone or stopped against its wish),
 * `adopt` (a clone whose creation a forge restart interrupted), `release` (a member forgotten).
 */
export type ScalingEventAction = 'scale_up' | 'scale_down' | 'restart' | 'top_up' | 'trim' | 'repair' | 'adopt' | 'release';

/** decided: about to act, with the reason; refused: the reason to act was there but something held it back. */
export type ScalingOutcome = 'decided' | 'succeeded' | 'failed' | 'refused';

/** One scaling event (group info, autoscaling:// resources). */
export interface ScalingEvent {
  id: number;
  time: string;
  group: string;
  action: ScalingEventAction;
  outcome: ScalingOutcome;
  rule: string | null;
  server_id: string | null;
  server_name: string | null;
  reason: string;
  /** failed: the API error the action ended with (limit_exceeded for a quota, say). */
  error?: { code: ErrorCode; message: string };
}

export type NewScalingEvent = Omit<ScalingEvent, 'id' | 'time' | 'rule' | 'server_id' | 'server_name'> &
  Partial<Pick<ScalingEvent, 'rule' | 'server_id' | 'server_name'>>;

/** The newest scaling events, bounded; each one also logged. Refusals are kept once per state, not once per tick. */
export class ScalingEvents {
  private readonly events: RingBuffer<ScalingEvent>;
  private readonly refusals = new Set<string>();
  private nextId = 1;

  constructor(
    capacity: number,
    private readonly log: Logger,
  ) {
    this.events = new RingBuffer(capacity);
  }

  add(event: NewScalingEvent, now = Date.now()): ScalingEvent {
    const full: ScalingEvent = { id: this.nextId++, time: new Date(now).toISOString(), rule: null, server_id: null, server_name: null, ...event };
    this.events.push(full);
    const level = full.outcome === 'failed' ? 'warn' : 'info';
    this.log[level]({ event: full }, `scaling ${full.group}: ${full.action} ${full.outcome}: ${full.reason}`);
    return full;
  }

  /**
   * Records a refusal once per state: `key` names the state (e.g. `web/high-cpu:bounds`), and it is
   * not recorded again until `clear` is called with a prefix of it (the state ended).
   */
  refuse(key: string, event: Omit<NewScalingEvent, 'outcome'>): void {
    if (this.refusals.has(key)) return;
    this.refusals.add(key);
    this.add({ ...event, outcome: 'refused' });
  }

  clear(prefix: string): void {
    for (const key of this.refusals) if (key.startsWith(prefix)) this.refusals.delete(key);
  }

  /** Newest first. */
  list(filter: { group?: string; limit?: number } = {}): ScalingEvent[] {
    const matching = this.events.last().reverse().filter((e) => !filter.group || e.group === filter.group);
    return filter.limit ? matching.slice(0, filter.limit) : matching;
  }
}
