import { ForgeError } from '../errors/forge-error.js';
import type { GroupTemplate, ScalingGroup } from '../registry/scaling-group.js';
import type { ServerRecord } from '../registry/server-record.js';
import { limitsOf } from '../servers/limit-rules.js';
import { changeGroup, noSuchGroup, scalerNotes, type ScalingContext, type ScalingHandler } from './scaling-context.js';
import { checkBounds, DEFAULT_MAX_INSTANCES, DEFAULT_MIN_INSTANCES } from './scaling-params.js';

/** What clones copy from a member. */
export function templateOf(record: ServerRecord): GroupTemplate {
  const { description, capabilities, handlers, options } = structuredClone(record);
  const source = record.source ? { source: structuredClone(record.source) } : {};
  return { from_server: record.id, description, capabilities, handlers, options, limits: limitsOf(record), credentials: record.credentials ?? null, token_hash: record.token_hash ?? null, ...source };
}

/** The servers `refs` name, each ready and in no group yet; invalid_id / not_found / invalid_request otherwise. */
function newMembers(refs: string[], group: ScalingGroup, ctx: ScalingContext): ServerRecord[] {
  const records = refs.map((ref) => ctx.queries.resolve(ref));
  const ids = new Set<string>();
  for (const record of records) {
    if (ids.has(record.id)) throw ForgeError.invalid(`server_ids names server ${record.name} twice`);
    ids.add(record.id);
    if (record.phase !== 'ready') throw ForgeError.invalid(`server ${record.name} is being ${record.phase === 'creating' ? 'created' : 'deleted'}`);
    const other = ctx.registry.groups.groupOf(record.id);
    if (other?.name === group.name) throw ForgeError.invalid(`server ${record.name} is already in group ${group.name}`);
    if (other) throw ForgeError.invalid(`server ${record.name} is already in group ${other.name}; a server belongs to one group at most`);
  }
  return records;
}

/** Adds the servers, within max_instances; the group's template comes from the first member of an empty group. */
function addMembers(group: ScalingGroup, refs: string[], ctx: ScalingContext): ServerRecord[] {
  const records = newMembers(refs, group, ctx);
  const after = group.servers.length + group.pending.length + records.length;
  if (after > group.max_instances) {
    throw ForgeError.invalid(`group ${group.name} would have ${after} members, above its max_instances (${group.max_instances})`);
  }
  if (records.length && group.servers.length === 0) group.template = templateOf(records[0]!);
  group.servers.push(...records.map((r) => r.id));
  return records;
}

const names = (records: ServerRecord[]) => records.map((r) => r.name).join(', ');

export const createGroup: ScalingHandler = async (args, ctx) => {
  const min = args.min_instances ?? DEFAULT_MIN_INSTANCES;
  const max = args.max_instances ?? Math.max(DEFAULT_MAX_INSTANCES, min);
  checkBounds(min, max);
  let added: ServerRecord[] = [];
  const group = await ctx.locked(args.group_name, () =>
    ctx.registry.groups.insert(() => {
      if (args.group_name.includes('__')) throw ForgeError.invalid(`group_name "${args.group_name}" must not contain "__" (the gateway names tools <group_name>__<tool>)`);
      if (ctx.registry.groups.get(args.group_name)) throw ForgeError.invalid(`an auto-scaling group named "${args.group_name}" already exists`);
      const now = new Date().toISOString();
      const draft: ScalingGroup = { name: args.group_name, min_instances: min, max_instances: max, servers: [], pending: [], rules: [], template: null, created_at: now, updated_at: now };
      added = addMembers(draft, args.server_ids ?? [], ctx);
      return draft;
    }),
  );
  const members = added.length ? ` with ${names(added)}` : '';
  return { message: `Auto-scaling group ${group.name} created (${min}–${max} instances)${members}${scalerNotes(group, ctx)}`, group };
};

export const deleteGroup: ScalingHandler = async (args, ctx) => {
  const { group, creating } = await ctx.locked(args.group_name, async () => {
    const removed = await ctx.registry.groups.remove(args.group_name);
    if (!removed) throw noSuchGroup(args.group_name);
    return { group: removed, creating: [...ctx.creating(args.group_name)] };
  });
  // Clones under way finish outside the group: they stay, like the members.
  await ctx.settle(group.name);
  const finished = creating.flatMap((name) => ctx.registry.findByName(name) ?? []);
  group.servers.push(...finished.map((r) => r.id));
  const kept = group.servers.length ? `; its ${group.servers.length} servers keep running as standalone servers (delete_server removes them)` : '';
  return { message: `Auto-scaling group ${group.name} deleted${kept}`, group };
};

export const updateGroup: ScalingHandler = async (args, ctx) => {
  const group = await changeGroup(ctx, args.group_name, (g) => {
    g.min_instances = args.min_instances ?? g.min_instances;
    g.max_instances = args.max_instances ?? g.max_instances;
    checkBounds(g.min_instances, g.max_instances);
  });
  return { message: `Auto-scaling group ${group.name} updated (${group.min_instances}–${group.max_instances} instances)${scalerNotes(group, ctx)}`, group };
};

export const addServer: ScalingHandler = async (args, ctx) => {
  let added: ServerRecord[] = [];
  const group = await changeGroup(ctx, args.group_name, (g) => void (added = addMembers(g, args.server_ids!, ctx)));
  return { message: `Added ${names(added)} to auto-scaling group ${group.name} (${group.servers.length} members)${scalerNotes(group, ctx)}`, group };
};

export const removeServer: ScalingHandler = async (args, ctx) => {
  let removed: ServerRecord[] = [];
  const group = await changeGroup(ctx, args.group_name, (g) => {
    removed = args.server_ids!.map((ref) => ctx.queries.resolve(ref));
    for (const record of removed) {
      if (!g.servers.includes(record.id)) throw ForgeError.invalid(`server ${record.name} is not in group ${g.name}`);
    }
    g.servers = g.servers.filter((id) => !removed.some((r) => r.id === id));
  });
  const kept = `${removed.length === 1 ? 'it keeps' : 'they keep'} running as standalone servers`;
  return { message: `Removed ${names(removed)} from auto-scaling group ${group.name}; ${kept}${scalerNotes(group, ctx)}`, group };
};
