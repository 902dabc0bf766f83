import type { ForgeConfig, MonitorConfig } from '../config/forge-config.js';
import type { Monitor } from '../monitor/monitor.js';
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
    const column = metric === 'cpu' ? 'cpu_percent' : 'memory_percent';
    return { serverId, points: watch.history.last(points).map((p) => ({ time: p.timestamp * 1000, value: p[column] })) };
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
