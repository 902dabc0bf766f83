import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { builtinTemplatesDir } from '../../../src/config/paths.js';

/**
 * A copy of the shipped templates plus `count` new capabilities (`bench_<nonce>_<i>`, each a
 * renamed echo): every one makes a capability set, so an image, that Docker has never built.
 */
export async function templatesWithNewCapabilities(count: number): Promise<{ dir: string; names: string[]; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-bench-templates-'));
  await cp(builtinTemplatesDir, dir, { recursive: true });
  const echoDir = path.join(builtinTemplatesDir, 'capabilities', 'echo');
  const manifest = JSON.parse(await readFile(path.join(echoDir, 'capability.json'), 'utf8'));
  const handlers = await readFile(path.join(echoDir, 'handlers.js.njk'), 'utf8');
  const nonce = randomBytes(4).toString('hex');
  const names = Array.from({ length: count }, (_, i) => `bench_${nonce}_${i}`);
  for (const name of names) {
    const target = path.join(dir, 'capabilities', name);
    await mkdir(target);
    const tools = [{ ...manifest.tools[0], name }];
    await writeFile(path.join(target, 'capability.json'), JSON.stringify({ ...manifest, name, tools }, null, 2));
    await writeFile(path.join(target, 'handlers.js.njk'), handlers.replace(/\becho\b/g, name));
  }
  return { dir, names, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
