import type { Low } from 'lowdb';
import type { ScalingGroup } from './scaling-group.js';
import type { RegistryData } from './server-record.js';

/**
 * The auto-scaling groups: a collection of the registry's lowdb file, written atomically with
 * it. Every change is made on a copy by a synchronous function and swapped in only if that
 * function does not throw, so a check that fails (or a failed write) leaves the stored group as
 * it was; no other change can come in between a check and its write.
 */
export class GroupStore {
  constructor(
    private readonly db: Low<RegistryData>,
    private readonly onWrite: () => void = () => undefined,
  ) {}

  /** Files written before groups existed have none; the collection is added by the first insert. */
  private get groups(): ScalingGroup[] {
    return this.db.data.groups ?? [];
  }

  list(): ScalingGroup[] {
    return this.groups.map((g) => structuredClone(g));
  }

  get(name: string): ScalingGroup | undefined {
    const found = this.groups.find((g) => g.name === name);
    return found && structuredClone(found);
  }

  /** The group `serverId` is a member of, if any. */
  groupOf(serverId: string): ScalingGroup | undefined {
    const found = this.groups.find((g) => g.servers.includes(serverId));
    return found && structuredClone(found);
  }

  /** Inserts the group `make` returns (it may throw to refuse); refuses a name that exists. */
  async insert(make: () => ScalingGroup): Promise<ScalingGroup> {
    const group = make();
    if (this.groups.some((g) => g.name === group.name)) throw new Error(`duplicate group ${group.name}`);
    const stored = structuredClone(group);
    await this.swap(() => (this.db.data.groups ??= []).push(stored), () => this.forget(stored));
    return structuredClone(group);
  }

  /** Applies `change` to a copy and stores it; undefined when the group does not exist. */
  async update(name: string, change: (group: ScalingGroup) => void): Promise<ScalingGroup | undefined> {
    const index = this.groups.findIndex((g) => g.name === name);
    if (index < 0) return undefined;
    const before = this.groups[index]!;
    const after = structuredClone(before);
    change(after);
    after.updated_at = new Date().toISOString();
    await this.swap(
      () => this.groups.splice(index, 1, after),
      () => this.groups.includes(after) && this.groups.splice(this.groups.indexOf(after), 1, before),
    );
    return structuredClone(after);
  }

  /** Removes the group (its servers stay); returns what it was. */
  async remove(name: string): Promise<ScalingGroup | undefined> {
    const found = this.groups.find((g) => g.name === name);
    if (!found) return undefined;
    await this.swap(() => this.forget(found), () => this.groups.push(found));
    return structuredClone(found);
  }

  /** Takes a deleted server out of its group, in memory; the registry writes it with the removal. */
  dropMember(serverId: string): void {
    for (const group of this.groups) {
      if (group.servers.includes(serverId)) group.servers = group.servers.filter((id) => id !== serverId);
    }
  }

  private forget(group: ScalingGroup) {
    if (this.groups.includes(group)) this.groups.splice(this.groups.indexOf(group), 1);
  }

  /** A failed write takes the change back out of memory, so memory never runs ahead of the file. */
  private async swap(apply: () => void, undo: () => void) {
    apply();
    try {
      await this.db.write();
    } catch (err) {
      undo();
      throw err;
    }
    this.onWrite();
  }
}
