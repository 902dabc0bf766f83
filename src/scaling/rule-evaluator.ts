import type { ScalingMetric, ScalingRule } from '../registry/scaling-group.js';

/** One reading of a member's metric: epoch milliseconds and value. */
export interface MetricPoint {
  time: number;
  value: number;
}

/** A member's readings of the rule's metric, oldest first. */
export interface MemberSamples {
  serverId: string;
  points: MetricPoint[];
}

/** Everything a rule is judged on besides the samples. */
export interface RuleContext {
  now: number;
  windowMs: number;
  /** Points a member needs in the window before its average counts. */
  minPoints: number;
  /** Epoch ms the rule last acted, or null. */
  lastActionAt: number | null;
  /** Members now, counting the ones being created. */
  count: number;
  min: number;
  max: number;
  /** Members an action is already under way on: never chosen as a target. */
  busy?: ReadonlySet<string>;
}

/** What to do, and why; or why nothing. `held` means the threshold was crossed but bounds or the cooldown held the action back. */
export type Evaluation =
  | { act: true; action: ScalingRule['action']; serverId: string | null; observed: number; reason: string }
  | { act: false; held: 'bounds' | 'cooldown' | null; observed: number | null; reason: string };

const UNIT: Record<ScalingMetric, string> = { cpu: '% CPU', memory: '% memory', connections: ' connections' };
const round = (value: number) => Math.round(value * 100) / 100;
export const describeValue = (metric: ScalingMetric, value: number) => `${round(value)}${UNIT[metric]}`;

/** The mean of the points within the window, or null when fewer than `minPoints` fall in it. */
export function windowAverage(points: MetricPoint[], now: number, windowMs: number, minPoints: number): number | null {
  const inWindow = points.filter((p) => p.time > now - windowMs && p.time <= now);
  if (inWindow.length < Math.max(1, minPoints)) return null;
  return inWindow.reduce((sum, p) => sum + p.value, 0) / inWindow.length;
}

/** Each member's windowed average, for the members with enough points, lowest first. */
export function memberAverages(members: MemberSamples[], ctx: Pick<RuleContext, 'now' | 'windowMs' | 'minPoints'>) {
  return members
    .map((m) => ({ serverId: m.serverId, average: windowAverage(m.points, ctx.now, ctx.windowMs, ctx.minPoints) }))
    .filter((m): m is { serverId: string; average: number } => m.average !== null)
    .sort((a, b) => a.average - b.average);
}

/**
 * Judges one rule on the members' windowed averages (never on one reading). scale_up: the group's
 * average (of its members' averages) above the threshold, below max_instances; scale_down: below
 * it, above min_instances, removing the least busy member; restart: the member whose own average
 * is highest, if above the threshold. Each honours the rule's cooldown.
 */
export function evaluateRule(rule: Pick<ScalingRule, 'metric' | 'threshold' | 'action' | 'cooldown'>, members: MemberSamples[], ctx: RuleContext): Evaluation {
  const averages = memberAverages(members, ctx);
  const windowS = round(ctx.windowMs / 1000);
  if (averages.length === 0) {
    return { act: false, held: null, observed: null, reason: `not enough data: no member has ${ctx.minPoints} ${rule.metric} points in the last ${windowS} s` };
  }
  const value = (v: number) => describeValue(rule.metric, v);
  const free = averages.filter((m) => !ctx.busy?.has(m.serverId));
  let observed: number;
  let crossed: boolean;
  let what: string;
  if (free.length === 0) return { act: false, held: null, observed: null, reason: 'an action is under way on every member reporting' };
  if (rule.action === 'restart') {
    const worst = free.at(-1)!;
    observed = worst.average;
    crossed = observed > rule.threshold;
    what = `member ${worst.serverId} averaged ${value(observed)} over the last ${windowS} s`;
  } else {
    observed = averages.reduce((sum, m) => sum + m.average, 0) / averages.length;
    crossed = rule.action === 'scale_up' ? observed > rule.threshold : observed < rule.threshold;
    what = `the group averaged ${value(observed)} over the last ${windowS} s (${averages.length} of ${ctx.count} members reporting)`;
  }
  const side = rule.action === 'scale_down' ? 'below' : 'above';
  if (!crossed) return { act: false, held: null, observed: round(observed), reason: `${what}: not ${side} ${value(rule.threshold)}` };
  const crossing = `${what}, ${side} ${value(rule.threshold)}`;

  if (rule.action === 'scale_up' && ctx.count >= ctx.max) {
    return { act: false, held: 'bounds', observed: round(observed), reason: `${crossing}, but the group is at max_instances (${ctx.max})` };
  }
  if (rule.action === 'scale_down' && ctx.count <= ctx.min) {
    return { act: false, held: 'bounds', observed: round(observed), reason: `${crossing}, but the group is at min_instances (${ctx.min})` };
  }
  const waitMs = ctx.lastActionAt === null ? 0 : ctx.lastActionAt + rule.cooldown * 1000 - ctx.now;
  if (waitMs > 0) {
    return { act: false, held: 'cooldown', observed: round(observed), reason: `${crossing}, but the rule is cooling down (${Math.ceil(waitMs / 1000)} s left)` };
  }
  if (rule.action === 'scale_up') {
    return { act: true, action: 'scale_up', serverId: null, observed: round(observed), reason: `${crossing}: ${ctx.count} → ${ctx.count + 1} members` };
  }
  if (rule.action === 'scale_down') {
    const idlest = free[0]!;
    const why = `${crossing}: removing the least busy member ${idlest.serverId} (${value(idlest.average)}), ${ctx.count} → ${ctx.count - 1} members`;
    return { act: true, action: 'scale_down', serverId: idlest.serverId, observed: round(observed), reason: why };
  }
  return { act: true, action: 'restart', serverId: free.at(-1)!.serverId, observed: round(observed), reason: `${crossing}: restarting it` };
}
