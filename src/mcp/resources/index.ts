import type { ForgeResource, ForgeResourceTemplate } from '../forge-resource.js';
import { capabilitiesListResource } from './capabilities-list.js';
import { serverInfoResource } from './server-info.js';
import { serversListResource } from './servers-list.js';

/** Fixed resources the forge serves. */
export const forgeResources: ForgeResource[] = [serversListResource, capabilitiesListResource];

/** Resource templates the forge serves. */
export const forgeResourceTemplates: ForgeResourceTemplate[] = [serverInfoResource];
