import type { ForgeResourceTemplate } from '../forge-resource.js';

/** servers://{server_id}/info: one server's full information. */
export const serverInfoResource: ForgeResourceTemplate = {
  uriTemplate: 'servers://{server_id}/info',
  name: 'server-info',
  title: 'Server information',
  description: 'Full information about one server (the create_server `server` object) as JSON.',
  read: ({ server_id }, services) => services.queries.info(server_id!),
  list: async (services) => (await services.queries.list()).map((s) => ({ uri: `servers://${s.id}/info`, name: `${s.name} info` })),
};
