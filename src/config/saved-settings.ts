import { readFileSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { digestSecrets } from '../security/secret-digest.js';
import { FIXED_KEYS } from './config-keys.js';
import { configSchema } from './config-schema.js';

/** Sections of keys, the format of config/default.json and FORGE_CONFIG files. */
export type Settings = Record<string, Record<string, unknown>>;

/** How many earlier versions of the saved settings are kept in `config-backups/`. */
export const SETTINGS_BACKUPS_KEPT = 10;

export const settingsFile = (dataDir: string) => path.join(dataDir, 'config.json');
export const backupsDir = (dataDir: string) => path.join(dataDir, 'config-backups');

/** Raised for a settings file that exists but cannot be used; it is never overwritten then. */
export class SettingsFileError extends Error {
  override name = 'SettingsFileError';
}

/**
 * The settings changed with set_config, as `<data_dir>/config.json`: read at start-up (an
 * absent file is no settings), written atomically, each earlier version kept as a backup.
 */
export function readSavedSettings(dataDir: string): Settings {
  const file = settingsFile(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new SettingsFileError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new SettingsFileError(`${file} is not valid JSON (${(err as Error).message}); fix or move it away, it was left untouched`);
  }
  const sectionsOk = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!sectionsOk(parsed) || !Object.values(parsed as object).every(sectionsOk)) {
    throw new SettingsFileError(`${file} must hold an object of sections ({"server": {"log_level": "debug"}}); it was left untouched`);
  }
  const settings = parsed as Settings;
  for (const keyPath of FIXED_KEYS.keys()) {
    const [section, key] = keyPath.split('.') as [string, string];
    if (settings[section] && key in settings[section]) {
      throw new SettingsFileError(`${file} may not set ${keyPath} (it is fixed at start-up); remove it from the file`);
    }
  }
  return settings;
}

/** Backs up the current file, writes `settings` atomically, and keeps the newest backups only. */
export async function saveSettings(dataDir: string, settings: Settings): Promise<void> {
  const file = settingsFile(dataDir);
  const backups = backupsDir(dataDir);
  await mkdir(backups, { recursive: true });
  const previous = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  const existing = (await readdir(backups)).filter((n) => /^config\.\d{6}\..+\.json$/.test(n)).sort();
  if (previous !== null) {
    const last = existing.at(-1);
    const seq = String((last ? Number(last.split('.')[1]) : 0) + 1).padStart(6, '0');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    existing.push(`config.${seq}.${stamp}.json`);
    await writeAtomically(path.join(backups, existing.at(-1)!), previous);
  }
  await writeAtomically(file, `${JSON.stringify(digestSecrets(settings, configSchema), null, 2)}\n`);
  for (const old of existing.slice(0, Math.max(0, existing.length - SETTINGS_BACKUPS_KEPT))) {
    await rm(path.join(backups, old), { force: true });
  }
}

/** Temp file in the same folder, flushed, then renamed over the target: readers see old or new, never half. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * Start-up scrub: the saved settings and every backup keep secrets only as digests. Files
 * written before digests (or edited by hand) are rewritten in place; unreadable ones are left.
 */
export async function digestSavedSecrets(dataDir: string): Promise<void> {
  const backups = await readdir(backupsDir(dataDir)).catch(() => [] as string[]);
  const files = [settingsFile(dataDir), ...backups.filter((n) => n.endsWith('.json')).map((n) => path.join(backupsDir(dataDir), n))];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    const digested = digestSecrets(parsed, configSchema);
    if (JSON.stringify(digested) !== JSON.stringify(parsed)) await writeAtomically(file, `${JSON.stringify(digested, null, 2)}\n`);
  }
}
