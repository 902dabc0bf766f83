import { ForgeError } from '../errors/forge-error.js';
import type { RuleAction, ScalingMetric } from '../registry/scaling-group.js';

export const SCALING_ACTIONS = ['create_group', 'delete_group', 'add_server', 'remove_server', 'add_rule', 'remove_rule', 'update_group', 'update_rule'] as const;
export type ScalingAction = (typeof SCALING_ACTIONS)[number];

/** manage_auto_scaling arguments after schema validation (api-spec parameters). */
export interface ScalingArgs {
  action: ScalingAction;
  group_name: string;
  min_instances?: number;
  max_instances?: number;
  server_ids?: string[];
  rule_name?: string;
  metric?: ScalingMetric;
  threshold?: number;
  rule_action?: RuleAction;
  cooldown?: number;
}

type Param = Exclude<keyof ScalingArgs, 'action' | 'group_name'>;

/** Which parameters each action takes: `required`, `optional`, and `oneOf` (at least one of them). */
const PARAMS: Record<ScalingAction, { required?: Param[]; optional?: Param[]; oneOf?: Param[] }> = {
  create_group: { optional: ['min_instances', 'max_instances', 'server_ids'] },
  delete_group: {},
  add_server: { required: ['server_ids'] },
  remove_server: { required: ['server_ids'] },
  add_rule: { required: ['rule_name', 'metric', 'threshold', 'rule_action'], optional: ['cooldown'] },
  remove_rule: { required: ['rule_name'] },
  update_group: { oneOf: ['min_instances', 'max_instances'] },
  update_rule: { required: ['rule_name'], oneOf: ['metric', 'threshold', 'rule_action', 'cooldown'] },
};

/** Defaults (documented in docs/api.md). */
export const DEFAULT_MIN_INSTANCES = 1;
export const DEFAULT_MAX_INSTANCES = 5;
export const DEFAULT_COOLDOWN_S = 300;

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/** Refuses a parameter the action does not use and a missing one it needs, naming what it takes. */
export function checkParams(args: ScalingArgs): void {
  const spec = PARAMS[args.action];
  const takes = [...(spec.required ?? []), ...(spec.optional ?? []), ...(spec.oneOf ?? [])];
  const given = (Object.keys(args) as Array<keyof ScalingArgs>).filter((k) => k !== 'action' && k !== 'group_name' && args[k] !== undefined) as Param[];
  const described = takes.length ? `it takes group_name and ${quoted(takes)}` : 'it takes only group_name';
  const stray = given.filter((k) => !takes.includes(k));
  if (stray.length) throw ForgeError.invalid(`${args.action} does not use ${quoted(stray)}; ${described}`);
  const missing = (spec.required ?? []).filter((k) => !given.includes(k));
  if (missing.length) throw ForgeError.invalid(`${args.action} needs ${quoted(missing)}`);
  if (spec.oneOf && !spec.oneOf.some((k) => given.includes(k))) throw ForgeError.invalid(`${args.action} needs at least one of ${quoted(spec.oneOf)}`);
}

/** min_instances ≤ max_instances, and max_instances at least 1. */
export function checkBounds(min: number, max: number): void {
  if (max < 1) throw ForgeError.invalid(`max_instances must be at least 1; got ${max}`);
  if (min > max) throw ForgeError.invalid(`min_instances (${min}) is above max_instances (${max})`);
}

/** A threshold the metric can reach: cpu up to 100 × the host's cores, memory up to 100 (percent). */
export function checkThreshold(metric: ScalingMetric, threshold: number, hostCpus: number): void {
  if (threshold < 0) throw ForgeError.invalid(`threshold must not be negative; got ${threshold}`);
  const max = metric === 'cpu' ? 100 * hostCpus : metric === 'memory' ? 100 : Infinity;
  const unit = metric === 'cpu' ? `percent of one core (this host has ${hostCpus} cores)` : 'percent of the container\'s memory limit';
  if (threshold > max) throw ForgeError.invalid(`a ${metric} threshold is in ${unit}: at most ${max}; got ${threshold}`);
}
