import type { HistoryMetric } from '../../monitor/server-stats.js';
import { serverIdParam, type ForgeTool } from '../forge-tool.js';

/** get_server_process_history: the monitor's bounded per-server history. */
export const getServerProcessHistoryTool: ForgeTool<{ server_id: string; metric?: HistoryMetric; points?: number }> = {
  name: 'get_server_process_history',
  title: 'Get server process history',
  description:
    'Recent history of a server, one point per monitor.history_interval_s, oldest first. cpu: percent of one core; ' +
    'memory: bytes in use (and percent of its limit); io: block bytes read plus written since start; all: every figure.',
  inputSchema: {
    type: 'object',
    properties: {
      server_id: serverIdParam,
      metric: { type: 'string', enum: ['cpu', 'memory', 'io', 'all'], default: 'cpu', description: 'cpu, memory, io or all.' },
      points: { type: 'integer', minimum: 1, maximum: 100000, default: 10, description: 'Number of newest points to return.' },
    },
    required: ['server_id'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true },
  async handler({ server_id, metric = 'cpu', points = 10 }, { services }) {
    const record = services.queries.resolve(server_id);
    const m = services.config.monitor;
    return {
      status: 'success',
      server_id: record.id,
      metric,
      history: services.stats.history(record, metric, points),
      interval_s: m.history_interval_s,
      ...(m.enabled ? {} : { message: 'monitoring is disabled (monitor.enabled); no history is kept' }),
    };
  },
};
