import os from 'node:os';
import type { Runtime } from '../runtime/runtime.js';

/**
 * The host path Docker binds for a path as the forge sees it: through the longest matching
 * prefix of `map` (children.host_path_map). Unmapped, a forge on the host binds the path
 * itself; a forge in a container cannot (its filesystem is not the host's): null.
 */
export function toHostPath(forgePath: string, map: Record<string, string>, inContainer: boolean): string | null {
  const prefix = Object.keys(map)
    .map((p) => (p.length > 1 ? p.replace(/\/+$/, '') : p))
    .filter((p) => forgePath === p || forgePath.startsWith(p === '/' ? '/' : p + '/'))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix === undefined) return inContainer ? null : forgePath;
  const target = (map[prefix] ?? map[prefix + '/']!).replace(/\/+$/, '') || '/';
  const rest = forgePath.slice(prefix === '/' ? 1 : prefix.length).replace(/^\//, '');
  return rest ? `${target === '/' ? '' : target}/${rest}` : target;
}

const detected = new WeakMap<Runtime, Promise<boolean>>();

/**
 * Whether the forge itself runs in a container of the engine it drives (Compose): Docker names
 * a container's host after its id, so a container whose id starts with our host name is us.
 */
export function forgeInContainer(runtime: Runtime): Promise<boolean> {
  let known = detected.get(runtime);
  if (!known) {
    const name = os.hostname();
    known = /^[0-9a-f]{12,64}$/.test(name)
      ? runtime.children.inspect(name).then((c) => !!c && c.id.startsWith(name)).catch(() => false)
      : Promise.resolve(false);
    detected.set(runtime, known);
  }
  return known;
}
