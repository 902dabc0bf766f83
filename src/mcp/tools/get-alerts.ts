import type { AlertKind } from '../../monitor/alert-log.js';
import { serverIdParam, type ForgeTool } from '../forge-tool.js';

/** get_alerts: the monitor's alert events, newest first. */
export const getAlertsTool: ForgeTool<{ server_id?: string; kind?: AlertKind; limit?: number }> = {
  name: 'get_alerts',
  title: 'Get alerts',
  description:
    'Alert events, newest first: limit_exceeded (usage at the alert threshold of a limit, or past a watched limit), ' +
    'oom_killed, unexpected_exit and crash_loop, each with a diagnosis (exit code, OOM, restart count, last stderr lines).',
  inputSchema: {
    type: 'object',
    properties: {
      server_id: serverIdParam,
      kind: { type: 'string', enum: ['limit_exceeded', 'oom_killed', 'unexpected_exit', 'crash_loop'], description: 'Only alerts of this kind.' },
      limit: { type: 'integer', minimum: 1, maximum: 10000, default: 50, description: 'At most this many alerts.' },
    },
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true },
  async handler({ server_id, kind, limit = 50 }, { services }) {
    const serverId = server_id ? services.queries.resolve(server_id).id : undefined;
    const alerts = services.monitor.listAlerts({ serverId, kind, limit });
    return { status: 'success', count: alerts.length, alerts, monitoring: services.monitor.enabled };
  },
};
