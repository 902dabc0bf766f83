import { RULE_ACTIONS, SCALING_METRICS } from '../../registry/scaling-group.js';
import { SCALING_ACTIONS, type ScalingArgs } from '../../scaling/scaling-params.js';
import type { ForgeTool } from '../forge-tool.js';

const NAME = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } as const;

/** manage_auto_scaling (api-spec): groups and rules; the scaler (src/scaling/) acts on them. */
export const manageAutoScalingTool: ForgeTool<ScalingArgs> = {
  name: 'manage_auto_scaling',
  title: 'Manage auto-scaling groups',
  description:
    'Manages auto-scaling groups of servers and their rules. A group keeps between min_instances and max_instances members ' +
    '(clones of its first member: same capabilities, handlers, options and limits; new id and port). Rules compare the ' +
    "members' cpu (percent of one core), memory (percent of the container's limit) or connections (open MCP sessions), " +
    'averaged over scaling.window_s, with a threshold, and scale_up, scale_down (the least busy member) or restart (the offending ' +
    'member), at most once per cooldown seconds. Rules need the monitor (monitor.enabled). Groups are persisted; ' +
    'autoscaling://groups shows members, rule evaluations and scaling events.',
  inputSchema: {
    type: 'object',
    properties: {
      action: { type: 'string', enum: [...SCALING_ACTIONS], description: `One of: ${SCALING_ACTIONS.join(', ')}.` },
      group_name: { ...NAME, minLength: 3, maxLength: 57, description: 'Name of the group: 3–57 letters, digits, hyphens or underscores, without "__" (clones are named <group_name>-<6 characters>; the gateway names its tools <group_name>__<tool>).' },
      min_instances: { type: 'integer', minimum: 0, maximum: 1000, description: 'create_group (default 1), update_group: fewest members; the scaler tops the group up to it.' },
      max_instances: { type: 'integer', minimum: 1, maximum: 1000, description: 'create_group (default the larger of 5 and min_instances), update_group: most members.' },
      server_ids: {
        type: 'array',
        items: { type: 'string', minLength: 1, maxLength: 128 },
        minItems: 1,
        maxItems: 100,
        uniqueItems: true,
        description: 'add_server, remove_server, create_group: server ids or names. A server belongs to one group at most.',
      },
      rule_name: { ...NAME, description: 'add_rule, remove_rule, update_rule: name of the rule within the group.' },
      metric: { type: 'string', enum: [...SCALING_METRICS], description: 'add_rule, update_rule: cpu, memory or connections.' },
      threshold: { type: 'number', minimum: 0, description: 'add_rule, update_rule: cpu in percent of one core, memory in percent of the limit, connections in open sessions.' },
      rule_action: { type: 'string', enum: [...RULE_ACTIONS], description: 'add_rule, update_rule: scale_up, scale_down or restart.' },
      cooldown: { type: 'number', minimum: 0, maximum: 604800, description: 'add_rule (default 300), update_rule: seconds after the rule acted before it may act again.' },
    },
    required: ['action', 'group_name'],
    additionalProperties: false,
  },
  annotations: { destructiveHint: false, idempotentHint: false, openWorldHint: false },
  handler: (args, { services }) => services.scaling.perform(args),
};
