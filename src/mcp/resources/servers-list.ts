import type { ForgeResource } from '../forge-resource.js';

/** servers://list: every server with live status. */
export const serversListResource: ForgeResource = {
  uri: 'servers://list',
  name: 'servers-list',
  title: 'Managed servers',
  description: 'All managed servers (id, name, description, status, port) as a JSON array.',
  read: (services) => services.queries.list(),
};
