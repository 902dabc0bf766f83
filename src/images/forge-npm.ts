import { cp, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { imagesDir } from '../config/paths.js';
import { hostNpmDir } from '../sources/npm-location.js';

/** Where the forge image's build context takes npm from (images/forge/Dockerfile; not in Git). */
export const forgeNpmDir = path.join(imagesDir, 'forge', 'npm');

const versionOf = (dir: string) =>
  readFile(path.join(dir, 'package.json'), 'utf8').then((text) => (JSON.parse(text) as { version?: string }).version ?? null, () => null);

/**
 * Copies the host's npm package into images/forge/npm, so the forge image can install npm
 * sources without downloading npm during the build (the build runs nothing). Kept when the
 * same version is there already. Returns the npm version staged.
 */
export async function stageForgeNpm(): Promise<string> {
  const source = await hostNpmDir();
  const version = await versionOf(source);
  if (!version) throw new Error(`cannot read npm's version in ${source}`);
  if ((await versionOf(forgeNpmDir)) === version) return version;
  // Copied aside and renamed into place: an interrupted copy never passes for a complete one.
  const temp = `${forgeNpmDir}.tmp-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await cp(source, temp, { recursive: true, verbatimSymlinks: true });
  await rm(forgeNpmDir, { recursive: true, force: true });
  await rename(temp, forgeNpmDir);
  return version;
}
