import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../config/saved-settings.js';

/** One server's secrets at rest: AES-256-GCM over their JSON. */
interface Sealed {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

/**
 * Secrets of bring-your-own servers, encrypted at rest in `<data_dir>/secrets/<server id>.json`
 * (mode 0600). The key is `sources.secrets_key` (FORGE_SECRETS_KEY; any string, hashed to 256
 * bits) or, without it, 32 random bytes generated once into `<data_dir>/secrets.key` (mode 0600).
 * The registry keeps only the names.
 */
export class SecretStore {
  private key: Promise<Buffer> | null = null;
  private readonly dir: string;

  constructor(
    private readonly dataDir: string,
    private readonly configuredKey: string | null,
  ) {
    this.dir = path.join(dataDir, 'secrets');
  }

  async put(serverId: string, secrets: Record<string, string>): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.keyBytes(), iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    const sealed: Sealed = { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeAtomically(this.fileOf(serverId), JSON.stringify(sealed) + '\n');
  }

  /** The server's secrets; empty when it has none. Throws when the file does not decrypt (wrong key). */
  async get(serverId: string): Promise<Record<string, string>> {
    const text = await readFile(this.fileOf(serverId), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (text === null) return {};
    const sealed = JSON.parse(text) as Sealed;
    const decipher = createDecipheriv('aes-256-gcm', await this.keyBytes(), Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    try {
      return JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8'));
    } catch {
      throw new Error(`the secrets of server ${serverId} do not decrypt: was the secrets key (FORGE_SECRETS_KEY or ${path.join(this.dataDir, 'secrets.key')}) changed?`);
    }
  }

  async remove(serverId: string): Promise<void> {
    await rm(this.fileOf(serverId), { force: true });
  }

  /** Removes the secrets of servers no longer registered (a crash between removing an entry and its secrets); call after reconciliation. */
  async prune(registered: string[]): Promise<void> {
    const keep = new Set(registered.map((id) => `${id}.json`));
    const files = await readdir(this.dir).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.json') && !keep.has(f))) await rm(path.join(this.dir, file), { force: true });
  }

  private fileOf(serverId: string): string {
    return path.join(this.dir, `${path.basename(serverId)}.json`);
  }

  private keyBytes(): Promise<Buffer> {
    this.key ??= this.loadKey();
    return this.key;
  }

  private async loadKey(): Promise<Buffer> {
    if (this.configuredKey) return createHash('sha256').update(this.configuredKey).digest();
    const file = path.join(this.dataDir, 'secrets.key');
    try {
      await mkdir(this.dataDir, { recursive: true });
      await writeFile(file, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  }
}
