import type { ForgeResourceTemplate } from '../forge-resource.js';

/** servers://{server_id}/resources: a server's limits next to its use of them. */
export const serverResourcesResource: ForgeResourceTemplate = {
  uriTemplate: 'servers://{server_id}/resources',
  name: 'server-resources',
  title: 'Server resources',
  description: "A server's resource limits, which the engine enforces and which the monitor watches, its current use and its limit alerts, as JSON.",
  read: ({ server_id }, services) => services.reports.server(services.queries.resolve(server_id!)),
  list: async (services) => (await services.queries.list()).map((s) => ({ uri: `servers://${s.id}/resources`, name: `${s.name} resources` })),
};
