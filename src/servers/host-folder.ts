import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ForgeError } from '../errors/forge-error.js';
import { toHostPath } from './host-paths.js';

/**
 * Never mounted, nor anything inside them, nor any folder holding them, whatever the allow-list
 * says: the system's own folders, kernel interfaces, devices, logs, Docker's state and sockets.
 */
export const SYSTEM_PATHS = [
  '/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/lost+found', '/proc', '/root', '/run', '/sbin',
  '/snap', '/sys', '/usr', '/var/backups', '/var/cache', '/var/lib', '/var/log', '/var/mail', '/var/run', '/var/spool',
];

/** Shared parents: never mounted themselves (they hold other users' and programs' folders); a folder inside them can be. */
export const SHARED_PARENTS = ['/', '/home', '/media', '/mnt', '/opt', '/srv', '/tmp', '/var', '/var/tmp'];

/** What decides whether a host folder may be mounted into a child. */
export interface HostFolderRules {
  /** The operator's allow-list (children.allowed_host_roots), as the forge sees them. */
  roots: string[];
  /** The forge's own paths (Docker socket, data dir, backups, install folder): refused both ways, like SYSTEM_PATHS. */
  own: string[];
  /** children.host_path_map. */
  hostPathMap: Record<string, string>;
  /** The forge runs in a container: its paths are not the host's, so only mapped paths can be bound. */
  inContainer: boolean;
  /** The uid children run as (children.uid). */
  uid: number;
}

const within = (folder: string, candidate: string) => candidate === folder || candidate.startsWith(folder === '/' ? '/' : folder + '/');
const HOW = 'set children.allowed_host_roots in config/default.json (or the FORGE_CONFIG file) or FORGE_ALLOWED_HOST_ROOTS, and restart the forge';

/**
 * Resolves a host folder a user asks to mount into a child (symbolic links and `..` resolved
 * first) and checks it: an existing folder, under an allowed root, no system or forge path
 * inside, around or at it (on the forge's side and on the host's), readable by the child's
 * uid. A folder in a user's home needs a root at or inside that home. Returns its real path
 * as the forge sees it; `toHostPath` gives what Docker binds.
 */
export async function checkHostFolder(given: string, what: string, rules: HostFolderRules): Promise<string> {
  if (!path.isAbsolute(given)) throw ForgeError.invalid(`${what} must be an absolute path, got "${given}"`);
  if (!rules.roots.length) throw ForgeError.invalid(`${what}: no host folder may be mounted on this forge; to allow folders under a root, ${HOW}`);
  const real = await realpath(given).catch(() => {
    throw ForgeError.invalid(`${what} ${given} does not exist`);
  });
  const info = await stat(real);
  if (!info.isDirectory()) throw ForgeError.invalid(`${what} ${given} is not a folder`);
  const shown = real === given ? given : `${given} (${real})`;
  refuseProtected(real, shown, what, rules.own);
  const roots = await Promise.all(rules.roots.map((r) => realpath(path.resolve(r)).catch(() => null)));
  const root = roots.find((r): r is string => r !== null && within(r, real) && homeGrants(r, real));
  if (!root) throw ForgeError.invalid(`${what} ${shown} is not under an allowed host root (${rules.roots.join(', ')}); to allow it, ${HOW}`);
  const host = toHostPath(real, rules.hostPathMap, rules.inContainer);
  if (host === null) {
    throw ForgeError.invalid(`${what} ${shown}: the forge runs in a container and its paths are not the host's; map it with children.host_path_map (forge path prefix -> host path prefix)`);
  }
  if (host !== real) refuseProtected(host, `${shown} (on the host ${host})`, what, []);
  const readable = info.uid === rules.uid ? (info.mode & 0o500) === 0o500 : info.gid === rules.uid ? (info.mode & 0o050) === 0o050 : (info.mode & 0o005) === 0o005;
  if (!readable) {
    throw ForgeError.invalid(`${what} ${given} cannot be read by the server, which runs as uid ${rules.uid}: make it readable and searchable by others (chmod o+rx)`);
  }
  return real;
}

function refuseProtected(real: string, shown: string, what: string, own: string[]) {
  for (const parent of SHARED_PARENTS) {
    if (real === parent) throw ForgeError.invalid(`${what} ${shown} is a shared system folder and cannot be mounted; choose a folder inside it`);
  }
  for (const p of [...SYSTEM_PATHS, ...own]) {
    if (within(p, real) || within(real, p)) throw ForgeError.invalid(`${what} ${shown} is or holds ${p}, which servers must never see`);
  }
  // A home's dot-folders (keys, tokens, shell history) stay refused even under an allowed root.
  if (/^\/home\/[^/]+\/\./.test(real)) throw ForgeError.invalid(`${what} ${shown} is a hidden folder in a home, which servers must never see`);
}

/** A folder inside /home/<user> is granted only by a root at or inside that same home, never by /home. */
function homeGrants(root: string, real: string): boolean {
  const home = /^\/home\/[^/]+/.exec(real)?.[0];
  return !home || within(home, root);
}

/** Real paths of the given paths that exist (a symlinked socket or data folder is compared by its target). */
export async function realPaths(paths: string[]): Promise<string[]> {
  const found = await Promise.all(paths.map((p) => realpath(path.resolve(p)).catch(() => null)));
  return found.filter((p): p is string => p !== null);
}
