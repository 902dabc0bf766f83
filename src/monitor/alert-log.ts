import type { Logger } from '../logging/logger.js';
import type { LimitName } from '../servers/limit-rules.js';
import { RingBuffer } from './ring-buffer.js';

export type AlertKind = 'limit_exceeded' | 'oom_killed' | 'unexpected_exit' | 'crash_loop';

/** Why a child died: what Docker recorded and what it last wrote to stderr. */
export interface ExitDiagnosis {
  exit_code: number | null;
  oom_killed: boolean;
  restart_count: number;
  last_stderr: string[];
}

/** One alert event (get_alerts, system://alerts, server info). */
export interface Alert {
  id: number;
  time: string;
  server_id: string;
  server_name: string;
  kind: AlertKind;
  severity: 'warning' | 'critical';
  message: string;
  /** limit_exceeded: the limit and the value that crossed it. */
  limit?: { name: LimitName; value: number; observed: number };
  /** oom_killed, unexpected_exit, crash_loop. */
  diagnosis?: ExitDiagnosis;
}

export interface AlertFilter {
  serverId?: string;
  kind?: AlertKind;
  limit?: number;
}

/** The newest alerts, bounded; each one is also logged. */
export class AlertLog {
  private readonly alerts: RingBuffer<Alert>;
  private nextId = 1;

  constructor(
    capacity: number,
    private readonly log: Logger,
  ) {
    this.alerts = new RingBuffer(capacity);
  }

  add(alert: Omit<Alert, 'id' | 'time'>, now = Date.now()): Alert {
    const full: Alert = { id: this.nextId++, time: new Date(now).toISOString(), ...alert };
    this.alerts.push(full);
    this.log[alert.severity === 'critical' ? 'error' : 'warn']({ alert: full }, `alert: ${full.message}`);
    return full;
  }

  /** Newest first. */
  list(filter: AlertFilter = {}): Alert[] {
    const all = this.alerts.last().reverse();
    const matching = all.filter((a) => (!filter.serverId || a.server_id === filter.serverId) && (!filter.kind || a.kind === filter.kind));
    return filter.limit ? matching.slice(0, filter.limit) : matching;
  }

  get size(): number {
    return this.alerts.size;
  }
}
