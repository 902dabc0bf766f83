import type { ForgeResource } from '../forge-resource.js';

/** system://resources: the host's capacity, the children's limits and use together, and the default limits. */
export const systemResourcesResource: ForgeResource = {
  uri: 'system://resources',
  name: 'system-resources',
  title: 'System resources',
  description: "The host's CPUs and memory, what the children are limited to and use together, and the default limits of new servers, as JSON.",
  read: (services) => services.reports.systemResources(),
};
