import type { ForgeTool } from '../forge-tool.js';

/** get_system_stats: the host's CPU, memory, disk and network, and the server counts. */
export const getSystemStatsTool: ForgeTool<Record<string, never>> = {
  name: 'get_system_stats',
  title: 'Get system statistics',
  description:
    "Host-wide figures: CPU percent of all cores since the previous call, memory, the data directory's disk, " +
    'network bytes of all interfaces but loopback, and how many servers exist and run.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  annotations: { readOnlyHint: true },
  async handler(_args, { services }) {
    return { status: 'success', system: await services.reports.systemStats() };
  },
};
