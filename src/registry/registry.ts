import { mkdir, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { AsyncLock } from './async-lock.js';
import { GroupStore } from './group-store.js';
import type { RegistryData, ServerRecord } from './server-record.js';

/** Raised when the registry file exists but cannot be used; it is never overwritten then. */
export class RegistryError extends Error {
  override name = 'RegistryError';
}

/**
 * The forge's registry: one lowdb JSON file in the data directory, written atomically
 * (temp file + rename), so a crash leaves either the old or the new content, never half.
 * Callers that read-then-write take `lock.run` so concurrent creates cannot collide.
 */
export class Registry {
  readonly lock = new AsyncLock();
  /** Auto-scaling groups, kept in the same file. */
  readonly groups: GroupStore;
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly db: Low<RegistryData>,
    readonly file: string,
  ) {
    this.groups = new GroupStore(db, () => this.changed());
  }

  /** Calls `listener` after every successful write (servers or groups); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed() {
    for (const listener of this.listeners) listener();
  }

  static async open(dataDir: string, instanceId: string | null): Promise<Registry> {
    await mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, 'registry.json');
    const existing = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw new RegistryError(`cannot read ${file}: ${err.message}`);
    });
    let data: RegistryData;
    if (existing === null) {
      data = { version: 1, instance_id: instanceId ?? `forge-${randomBytes(4).toString('hex')}`, servers: [] };
    } else {
      try {
        data = JSON.parse(existing) as RegistryData;
      } catch (err) {
        throw new RegistryError(`${file} is not valid JSON (${(err as Error).message}); fix or move it away, it was left untouched`);
      }
      const groupsOk = data.groups === undefined || Array.isArray(data.groups);
      if (data.version !== 1 || !Array.isArray(data.servers) || typeof data.instance_id !== 'string' || !groupsOk) {
        throw new RegistryError(`${file} is not an MCP-Forge registry (version 1); it was left untouched`);
      }
      if (instanceId && instanceId !== data.instance_id) data.instance_id = instanceId;
    }
    const db = new Low<RegistryData>(new JSONFile<RegistryData>(file), data);
    await db.write();
    return new Registry(db, file);
  }

  get instanceId(): string {
    return this.db.data.instance_id;
  }

  list(): ServerRecord[] {
    return this.db.data.servers.map((s) => structuredClone(s));
  }

  get(id: string): ServerRecord | undefined {
    const found = this.db.data.servers.find((s) => s.id === id);
    return found && structuredClone(found);
  }

  findByName(name: string): ServerRecord | undefined {
    const found = this.db.data.servers.find((s) => s.name === name);
    return found && structuredClone(found);
  }

  async insert(record: ServerRecord): Promise<void> {
    // One namespace: a new id or name may be no other server's id or name.
    const taken = new Set(this.db.data.servers.flatMap((s) => [s.id, s.name]));
    if (taken.has(record.id) || taken.has(record.name)) {
      throw new RegistryError(`duplicate server ${record.id} (${record.name})`);
    }
    this.db.data.servers.push(structuredClone(record));
    await this.db.write();
    this.changed();
  }

  /** Applies `patch` and persists; returns the updated record, or undefined if it is gone. */
  async update(id: string, patch: Partial<ServerRecord>): Promise<ServerRecord | undefined> {
    const found = this.db.data.servers.find((s) => s.id === id);
    if (!found) return undefined;
    Object.assign(found, structuredClone(patch), { updated_at: new Date().toISOString() });
    await this.db.write();
    this.changed();
    return structuredClone(found);
  }

  /** Removes the entry, and its membership of an auto-scaling group in the same write. */
  async remove(id: string): Promise<boolean> {
    const before = this.db.data.servers.length;
    this.db.data.servers = this.db.data.servers.filter((s) => s.id !== id);
    if (this.db.data.servers.length === before) return false;
    this.groups.dropMember(id);
    await this.db.write();
    this.changed();
    return true;
  }
}
