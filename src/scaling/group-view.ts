import type { ScalingGroup } from '../registry/scaling-group.js';
import type { ServerSummary } from '../servers/server-view.js';
import type { RuleEvaluation } from './autoscaler.js';
import type { ScalingEvent } from './scaling-events.js';

/** The api-spec `group` object, with each rule's cooldown clock (`last_action_at`) added. */
export function groupJson(group: ScalingGroup) {
  return {
    name: group.name,
    min_instances: group.min_instances,
    max_instances: group.max_instances,
    servers: [...group.servers],
    rules: group.rules.map((r) => ({ name: r.name, metric: r.metric, threshold: r.threshold, action: r.action, cooldown: r.cooldown, last_action_at: r.last_action_at })),
  };
}

/** What the scaler's state adds to a group for the autoscaling:// resources. */
export interface GroupState {
  members: ServerSummary[];
  creating: string[];
  evaluation(rule: string): RuleEvaluation | null;
  events: ScalingEvent[];
}

/** A group with its members' status, clones being created, the template, each rule's latest evaluation and recent events. */
export function groupDetail(group: ScalingGroup, state: GroupState) {
  const base = groupJson(group);
  const template = group.template && {
    from_server: group.template.from_server,
    description: group.template.description,
    capabilities: group.template.capabilities,
    handlers: group.template.handlers,
    options: group.template.options,
    limits: group.template.limits,
  };
  return {
    ...base,
    instances: group.servers.length,
    members: state.members,
    creating: state.creating,
    rules: base.rules.map((r) => ({ ...r, last_evaluation: state.evaluation(r.name) })),
    template,
    events: state.events,
    created_at: group.created_at,
    updated_at: group.updated_at,
  };
}
