import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

/**
 * `content` (a Compose `.env` file) with `key` set to `value`: the key's line replaced in
 * place, or appended; every other line kept as it was.
 */
export function withEnvValue(content: string, key: string, value: string): string {
  const line = `${key}=${value}`;
  const lines = content === '' ? [] : content.replace(/\n$/, '').split('\n');
  const at = lines.findIndex((l) => l.replace(/^\s*export\s+/, '').split('=')[0]!.trim() === key);
  if (at >= 0) lines[at] = line;
  else lines.push(line);
  return lines.join('\n') + '\n';
}

/**
 * Records the Node base that `npm run images` found or made as NODE_BASE in the `.env` file
 * Compose reads, so `docker compose up` builds the forge image FROM it without pulling.
 * Returns whether the file changed.
 */
export async function recordNodeBase(envFile: string, nodeBase: string): Promise<boolean> {
  return updateEnvFile(envFile, (content) => withEnvValue(content, 'NODE_BASE', nodeBase));
}

/** The value of `key` in a `.env` file's content, if set. */
export function envValue(content: string, key: string): string | undefined {
  const line = content.split('\n').find((l) => l.replace(/^\s*export\s+/, '').split('=')[0]!.trim() === key);
  return line === undefined ? undefined : line.slice(line.indexOf('=') + 1).trim();
}

/**
 * In Compose the forge listens on 0.0.0.0 inside its container, which it refuses to do without
 * a token: the first `npm run images` writes a random admin token to `.env` (never replacing one).
 * Returns whether the file changed.
 */
export async function ensureComposeToken(envFile: string): Promise<boolean> {
  return updateEnvFile(envFile, (content) =>
    envValue(content, 'FORGE_AUTH_TOKEN') ? content : withEnvValue(content, 'FORGE_AUTH_TOKEN', randomBytes(24).toString('base64url')),
  );
}

async function updateEnvFile(envFile: string, change: (content: string) => string): Promise<boolean> {
  const before = await readFile(envFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const after = change(before);
  if (after === before) return false;
  await writeFile(envFile, after, { mode: 0o600 });
  return true;
}
