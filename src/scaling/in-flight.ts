/** What an action under way works on: a clone being created (key: its name), or a member being removed or restarted (key: its id). */
export interface Flight {
  kind: 'creating' | 'deleting' | 'restarting';
  key: string;
}

interface GroupFlights {
  creating: Set<string>;
  deleting: Set<string>;
  restarting: Set<string>;
  running: Set<Promise<void>>;
}

/**
 * The scaler's actions under way, per group. Evaluations count clones being created as members
 * and members being removed as gone, hold a group's scaling back while one of its scaling
 * actions runs, and never choose a member an action is already working on.
 */
export class InFlight {
  private readonly groups = new Map<string, GroupFlights>();

  private of(group: string): GroupFlights {
    let entry = this.groups.get(group);
    if (!entry) this.groups.set(group, (entry = { creating: new Set(), deleting: new Set(), restarting: new Set(), running: new Set() }));
    return entry;
  }

  /** Names of the group's clones being created. */
  creating(group: string): ReadonlySet<string> {
    return this.groups.get(group)?.creating ?? new Set();
  }

  deleting(group: string): ReadonlySet<string> {
    return this.groups.get(group)?.deleting ?? new Set();
  }

  /** True while one of the group's members is being created or removed. */
  scaling(group: string): boolean {
    const entry = this.groups.get(group);
    return !!entry && entry.creating.size + entry.deleting.size > 0;
  }

  /** Member ids any action is working on, in any group. */
  busy(): Set<string> {
    const ids = new Set<string>();
    for (const entry of this.groups.values()) for (const id of [...entry.deleting, ...entry.restarting]) ids.add(id);
    return ids;
  }

  /** Starts `work` (it must not throw) and tracks it until it ends. */
  run(group: string, flight: Flight, work: () => Promise<void>): void {
    const entry = this.of(group);
    entry[flight.kind].add(flight.key);
    const done: Promise<void> = work().finally(() => {
      entry[flight.kind].delete(flight.key);
      entry.running.delete(done);
      if (entry.running.size === 0 && this.groups.get(group) === entry) this.groups.delete(group);
    });
    entry.running.add(done);
  }

  /** Resolves once the group's actions (every group's, without a name) have ended. */
  async settle(group?: string): Promise<void> {
    const entries = group ? [this.groups.get(group)] : [...this.groups.values()];
    const running = entries.flatMap((e) => [...(e?.running ?? [])]);
    await Promise.allSettled(running);
  }
}
