import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * SHA-256 of `seed` and every file under `dir` (relative path and content, in sorted order),
 * node_modules left out: what an image or bundle made from the folder depends on.
 */
export async function hashTree(dir: string, seed: string): Promise<string> {
  const h = createHash('sha256').update(seed);
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((p) => !p.split(path.sep).includes('node_modules'))
    .sort();
  for (const rel of files) h.update(`${rel}\n`).update(await readFile(path.join(dir, rel)));
  return h.digest('hex');
}
