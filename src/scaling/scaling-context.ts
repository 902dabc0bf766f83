import type { ForgeConfig } from '../config/forge-config.js';
import { ForgeError } from '../errors/forge-error.js';
import type { Registry } from '../registry/registry.js';
import type { ScalingGroup } from '../registry/scaling-group.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ServerQueries } from '../servers/server-queries.js';
import type { ScalingArgs } from './scaling-params.js';

/** What the manage_auto_scaling action handlers work with. */
export interface ScalingContext {
  config: ForgeConfig;
  registry: Registry;
  queries: ServerQueries;
  runtime: Runtime;
  /** Runs `fn` under the group's lock: the scaler never looks at the group in between. */
  locked<T>(group: string, fn: () => Promise<T>): Promise<T>;
  /** Names of the group's clones being created. */
  creating(group: string): ReadonlySet<string>;
  /** Waits for the scaler's actions on the group to end. */
  settle(group: string): Promise<void>;
}

/** What an action did: a message, and the group as it is now (as it was, for delete_group). */
export interface ScalingResult {
  message: string;
  group: ScalingGroup;
}

export type ScalingHandler = (args: ScalingArgs, ctx: ScalingContext) => Promise<ScalingResult>;

export const noSuchGroup = (name: string) => ForgeError.notFound(`no auto-scaling group named "${name}"`);

/** Applies `change` to the stored group under its lock; `not_found` for an unknown group. A throw in `change` stores nothing. */
export async function changeGroup(ctx: ScalingContext, name: string, change: (group: ScalingGroup) => void): Promise<ScalingGroup> {
  const group = await ctx.locked(name, () => ctx.registry.groups.update(name, change));
  if (!group) throw noSuchGroup(name);
  return group;
}

/** Notes on what the scaler will do about a group, for the result message. */
export function scalerNotes(group: ScalingGroup, ctx: ScalingContext): string {
  const notes: string[] = [];
  const count = group.servers.length + ctx.creating(group.name).size;
  if (count < group.min_instances) {
    notes.push(
      group.template
        ? `it has ${count} of min_instances ${group.min_instances} members: the scaler adds ${group.min_instances - count} from its template`
        : `it has ${count} of min_instances ${group.min_instances} members and no template yet: add a server, whose settings its clones copy`,
    );
  }
  if (count > group.max_instances) notes.push(`it has ${count} members, above max_instances: the scaler removes the least busy ones`);
  if (!ctx.config.scaling.enabled) notes.push('the scaler is off (scaling.enabled is false): nothing acts until it is on');
  return notes.length ? `; ${notes.join('; ')}` : '';
}
