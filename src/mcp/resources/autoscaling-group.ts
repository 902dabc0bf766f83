import type { ForgeResourceTemplate } from '../forge-resource.js';

/** autoscaling://groups/{group_name}: one auto-scaling group in detail. */
export const autoscalingGroupResource: ForgeResourceTemplate = {
  uriTemplate: 'autoscaling://groups/{group_name}',
  name: 'autoscaling-group',
  title: 'Auto-scaling group',
  description: 'One auto-scaling group: bounds, members with status, clones being created, rules with their latest evaluation, template, recent scaling events.',
  read: ({ group_name }, services) => services.scaling.detail(group_name!),
  list: async (services) =>
    services.scaling.groupNames().map((name) => ({ uri: `autoscaling://groups/${encodeURIComponent(name)}`, name: `${name} auto-scaling group` })),
};
