import type { ForgeResource } from '../forge-resource.js';

/** autoscaling://groups: every auto-scaling group in detail. */
export const autoscalingGroupsResource: ForgeResource = {
  uri: 'autoscaling://groups',
  name: 'autoscaling-groups',
  title: 'Auto-scaling groups',
  description: "Every auto-scaling group: bounds, members with status, rules with their latest evaluation, template, recent scaling events; and the scaler's settings.",
  read: (services) => services.scaling.overview(),
};
