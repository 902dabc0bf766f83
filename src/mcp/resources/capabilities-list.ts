import { catalogView } from '../catalog-view.js';
import type { ForgeResource } from '../forge-resource.js';

/** capabilities://list: what list_capabilities returns, as a resource. */
export const capabilitiesListResource: ForgeResource = {
  uri: 'capabilities://list',
  name: 'capabilities-list',
  title: 'Capabilities, handlers and options',
  description: 'Every capability, handler and option create_server accepts, with tools, option schemas and container needs, as JSON.',
  read: async (services) => catalogView(services.catalog),
};
