import type { ForgeResource } from '../forge-resource.js';

/** system://alerts: the monitor's alert events, newest first. */
export const systemAlertsResource: ForgeResource = {
  uri: 'system://alerts',
  name: 'system-alerts',
  title: 'Alerts',
  description: 'Alert events (limit_exceeded, oom_killed, unexpected_exit, crash_loop) with their diagnosis, newest first, as JSON.',
  read: async (services) => ({ monitoring: services.monitor.enabled, alerts: services.monitor.listAlerts({}) }),
};
