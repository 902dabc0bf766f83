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
  const before = await readFile(envFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const after = withEnvValue(before, 'NODE_BASE', nodeBase);
  if (after === before) return false;
  await writeFile(envFile, after);
  return true;
}
