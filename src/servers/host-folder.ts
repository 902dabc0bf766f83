import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ForgeError } from '../errors/forge-error.js';

/** The user every child runs as (templates/child/Dockerfile.njk). */
const CHILD_UID = 1000;

const contains = (folder: string, candidate: string) => candidate === folder || candidate.startsWith(folder + path.sep);

/**
 * Resolves a host folder a user asks to mount into a child: absolute, existing, a folder,
 * readable by the child's user, not `/`, and not holding anything children must never see
 * (the Docker socket, the forge's own data). Returns its real path, which is what gets mounted.
 */
export async function checkHostFolder(given: string, what: string, forbidden: string[]): Promise<string> {
  if (!path.isAbsolute(given)) throw ForgeError.invalid(`${what} must be an absolute path, got "${given}"`);
  const real = await realpath(given).catch(() => {
    throw ForgeError.invalid(`${what} ${given} does not exist`);
  });
  const info = await stat(real);
  if (!info.isDirectory()) throw ForgeError.invalid(`${what} ${given} is not a folder`);
  if (real === path.parse(real).root) throw ForgeError.invalid(`${what} cannot be the root folder ${real}`);
  for (const secret of forbidden) {
    if (contains(real, secret)) throw ForgeError.invalid(`${what} ${given} contains ${secret}, which servers must never see`);
  }
  const mode = info.mode;
  const readable = info.uid === CHILD_UID ? (mode & 0o500) === 0o500 : info.gid === CHILD_UID ? (mode & 0o050) === 0o050 : (mode & 0o005) === 0o005;
  if (!readable) {
    throw ForgeError.invalid(`${what} ${given} cannot be read by the server, which runs as uid ${CHILD_UID}: make it readable and searchable by others (chmod o+rx)`);
  }
  return real;
}

/** Real paths of the given paths that exist (a symlinked socket or data folder is compared by its target). */
export async function realPaths(paths: string[]): Promise<string[]> {
  const found = await Promise.all(paths.map((p) => realpath(path.resolve(p)).catch(() => null)));
  return found.filter((p): p is string => p !== null);
}
