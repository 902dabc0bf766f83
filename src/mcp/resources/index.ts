import type { ForgeResource, ForgeResourceTemplate } from '../forge-resource.js';
import { serverInfoResource } from './server-info.js';
import { serversListResource } from './servers-list.js';

/** Fixed resources the forge serves. */
export const forgeResources: ForgeResource[] = [serversListResource];

/** Resource templates the forge serves. */
export const forgeResourceTemplates: ForgeResourceTemplate[] = [serverInfoResource];
