import type { ForgeResource } from '../forge-resource.js';

/** system://stats: the get_system_stats figures. */
export const systemStatsResource: ForgeResource = {
  uri: 'system://stats',
  name: 'system-stats',
  title: 'System statistics',
  description: "The host's CPU, memory, disk and network figures and the server counts, as JSON.",
  read: (services) => services.reports.systemStats(),
};
