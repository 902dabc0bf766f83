import type { ForgeResource, ForgeResourceTemplate } from '../forge-resource.js';
import { autoscalingGroupResource } from './autoscaling-group.js';
import { autoscalingGroupsResource } from './autoscaling-groups.js';
import { capabilitiesListResource } from './capabilities-list.js';
import { serverInfoResource } from './server-info.js';
import { serverProcessResource } from './server-process.js';
import { serverResourcesResource } from './server-resources.js';
import { serversListResource } from './servers-list.js';
import { systemVersionResource } from './system-version.js';
import { systemAlertsResource } from './system-alerts.js';
import { systemResourcesResource } from './system-resources.js';
import { systemStatsResource } from './system-stats.js';

/** Fixed resources the forge serves. */
export const forgeResources: ForgeResource[] = [
  serversListResource,
  systemStatsResource,
  systemResourcesResource,
  systemAlertsResource,
  systemVersionResource,
  capabilitiesListResource,
  autoscalingGroupsResource,
];

/** Resource templates the forge serves. */
export const forgeResourceTemplates: ForgeResourceTemplate[] = [
  serverInfoResource,
  serverProcessResource,
  serverResourcesResource,
  autoscalingGroupResource,
];
