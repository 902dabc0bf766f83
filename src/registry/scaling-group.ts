import type { ServerSource } from './server-record.js';
import type { LimitSet, StoredCredentials } from './server-record.js';

export const SCALING_METRICS = ['cpu', 'memory', 'connections'] as const;
/** cpu: percent of one core; memory: percent of the container's memory limit; connections: open MCP sessions. */
export type ScalingMetric = (typeof SCALING_METRICS)[number];

export const RULE_ACTIONS = ['scale_up', 'scale_down', 'restart'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/** One rule of a group (api-spec manage_auto_scaling `rules[]`), with its cooldown clock. */
export interface ScalingRule {
  name: string;
  metric: ScalingMetric;
  threshold: number;
  action: RuleAction;
  /** Seconds after the rule acted before it may act again. */
  cooldown: number;
  /** When the rule last acted (ISO time); kept so cooldowns survive a forge restart. */
  last_action_at: string | null;
}

/** What clones of a group are made from: taken from its first member, so it outlives every member. */
export interface GroupTemplate {
  from_server: string;
  description: string;
  capabilities: string[];
  handlers: string[];
  options: Record<string, unknown>;
  limits: LimitSet;
  /** The first member's credential hash: every member answers the same Basic credentials. Never shown. */
  credentials: StoredCredentials | null;
  /** The first member's bearer-token hash (children.require_token); absent in groups made before tokens. Never shown. */
  token_hash?: string | null;
  /** A bring-your-own member's source (resolved version); clones get from_server's secrets too. */
  source?: ServerSource | null;
}

/** An auto-scaling group as the registry keeps it. */
export interface ScalingGroup {
  name: string;
  min_instances: number;
  max_instances: number;
  /** Member server ids. */
  servers: string[];
  /**
   * Names of clones being created: written before the create starts, so a clone whose creation a
   * crash interrupted is adopted (or forgotten) at the next start-up rather than left ungrouped.
   */
  pending: string[];
  rules: ScalingRule[];
  template: GroupTemplate | null;
  created_at: string;
  updated_at: string;
}
