import { ForgeError } from '../errors/forge-error.js';
import type { ScalingGroup, ScalingRule } from '../registry/scaling-group.js';
import { describeValue } from './rule-evaluator.js';
import { changeGroup, type ScalingContext, type ScalingHandler } from './scaling-context.js';
import { checkThreshold, DEFAULT_COOLDOWN_S } from './scaling-params.js';

/** Rules are judged on the monitor's data: without it they could never act, so none is accepted. */
function needMonitor(ctx: ScalingContext) {
  if (!ctx.config.monitor.enabled) {
    throw ForgeError.invalid('rules are judged on the monitor\'s data and monitor.enabled is false; enable the monitor (a restart applies it) first');
  }
}

function ruleOf(group: ScalingGroup, name: string): ScalingRule {
  const rule = group.rules.find((r) => r.name === name);
  if (!rule) {
    const known = group.rules.map((r) => r.name).join(', ') || '(none)';
    throw ForgeError.notFound(`group ${group.name} has no rule named "${name}"; its rules: ${known}`);
  }
  return rule;
}

/** The rule in words, for result messages. */
function describe(rule: ScalingRule, windowS: number): string {
  const limit = describeValue(rule.metric, rule.threshold);
  const when =
    rule.action === 'restart'
      ? `restart a member whose ${rule.metric} averages above ${limit}`
      : `${rule.action} when the members' ${rule.metric} averages ${rule.action === 'scale_up' ? 'above' : 'below'} ${limit}`;
  return `${when} over ${windowS} s (scaling.window_s); cooldown ${rule.cooldown} s`;
}

export const addRule: ScalingHandler = async (args, ctx) => {
  needMonitor(ctx);
  checkThreshold(args.metric!, args.threshold!, (await ctx.runtime.host()).cpus);
  const rule: ScalingRule = {
    name: args.rule_name!,
    metric: args.metric!,
    threshold: args.threshold!,
    action: args.rule_action!,
    cooldown: args.cooldown ?? DEFAULT_COOLDOWN_S,
    last_action_at: null,
  };
  const group = await changeGroup(ctx, args.group_name, (g) => {
    if (g.rules.some((r) => r.name === rule.name)) throw ForgeError.invalid(`group ${g.name} already has a rule named "${rule.name}" (update_rule changes it)`);
    g.rules.push(rule);
  });
  return { message: `Rule ${rule.name} added to auto-scaling group ${group.name}: ${describe(rule, ctx.config.scaling.window_s)}`, group };
};

export const removeRule: ScalingHandler = async (args, ctx) => {
  const group = await changeGroup(ctx, args.group_name, (g) => {
    ruleOf(g, args.rule_name!);
    g.rules = g.rules.filter((r) => r.name !== args.rule_name);
  });
  return { message: `Rule ${args.rule_name} removed from auto-scaling group ${group.name}`, group };
};

/** Changes the given fields; the rule's cooldown clock keeps running. */
export const updateRule: ScalingHandler = async (args, ctx) => {
  needMonitor(ctx);
  const { cpus } = await ctx.runtime.host();
  let updated: ScalingRule | undefined;
  const group = await changeGroup(ctx, args.group_name, (g) => {
    const rule = ruleOf(g, args.rule_name!);
    checkThreshold(args.metric ?? rule.metric, args.threshold ?? rule.threshold, cpus);
    Object.assign(rule, {
      metric: args.metric ?? rule.metric,
      threshold: args.threshold ?? rule.threshold,
      action: args.rule_action ?? rule.action,
      cooldown: args.cooldown ?? rule.cooldown,
    });
    updated = rule;
  });
  return { message: `Rule ${updated!.name} of auto-scaling group ${group.name} updated: ${describe(updated!, ctx.config.scaling.window_s)}`, group };
};
