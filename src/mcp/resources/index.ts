import type { ForgeResource, ForgeResourceTemplate } from '../forge-resource.js';
import { capabilitiesListResource } from './capabilities-list.js';
import { serverInfoResource } from './server-info.js';
import { serversListResource } from './servers-list.js';
import { systemVersionResource } from './system-version.js';

/** Fixed resources the forge serves. */
export const forgeResources: ForgeResource[] = [serversListResource, systemVersionResource, capabilitiesListResource];

/** Resource templates the forge serves. */
export const forgeResourceTemplates: ForgeResourceTemplate[] = [serverInfoResource];
