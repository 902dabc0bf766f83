import type { ForgeConfig, MonitorConfig } from '../config/forge-config.js';
import type { Monitor } from '../monitor/monitor.js';
import type { HistoryPoint } from '../monitor/sample-history.js';
import type { ScalingMetric } from '../registry/scaling-group.js';
import type { MemberSamples } from './rule-evaluator.js';

/**
 * The monitor's readings of `metric` for each member, as far back as `windowMs` reaches:
 * history points for cpu (percent of one core) and memory (percent of the container's limit),
 * polled session counts for connections. A member the monitor does not follow has none.
 */
export function memberSamples(monitor: Monitor, serverIds: string[], metric: ScalingMetric, windowMs: number, settings: MonitorConfig): MemberSamples[] {
  const every = metric === 'connections' ? settings.connections_interval_s : settings.history_interval_s;
  const points = Math.ceil(windowMs / 1000 / every) + 2;
  return serverIds.map((serverId) => {
    const watch = monitor.watch(serverId);
    if (!watch) return { serverId, points: [] };
    if (metric === 'connections') return { serverId, points: watch.connectionHistory.last(points) };
    // A memory rule is about the child's own limit (how close to the OOM killer), not the host's share.
    const value = (p: HistoryPoint) => (metric === 'cpu' ? p.cpu_percent : p.memory_limit > 0 ? (p.memory_bytes / p.memory_limit) * 100 : 0);
    return { serverId, points: watch.history.last(points).map((p) => ({ time: p.timestamp * 1000, value: value(p) })) };
  });
}

/** Why the monitor's data can never feed a rule on `metric` under this configuration, if so. */
export function ruleBlocker(metric: ScalingMetric, config: Pick<ForgeConfig, 'monitor' | 'scaling'>): string | null {
  const { scaling, monitor } = config;
  if (!monitor.enabled) return "rules are judged on the monitor's data, and monitor.enabled is false";
  const key = metric === 'connections' ? 'connections_interval_s' : 'history_interval_s';
  const every = monitor[key];
  if (scaling.window_s < scaling.min_points * every) {
    return `scaling.window_s (${scaling.window_s} s) cannot hold scaling.min_points (${scaling.min_points}) points taken every ${every} s (monitor.${key})`;
  }
  return null;
}
