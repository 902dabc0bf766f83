import type { ChildInfo, Runtime } from '../runtime/runtime.js';
import { forgeInContainer } from './host-paths.js';

/**
 * Where a forge outside the children's network (on the host, `connect_via: network`) reaches a
 * child: its address on that network, by container name. Names resolve only inside Docker's
 * networks; the host routes to a bridge network's addresses, internal ones too (Linux; not Docker
 * Desktop). A forge in a container (Compose) keeps using names and learns nothing here.
 * Learned whenever the forge inspects a child it is about to talk to or sees start.
 */
const addresses = new Map<string, string>();

/** The learned address of the child named `containerName`, if any. */
export function childAddress(containerName: string): string | undefined {
  return addresses.get(containerName);
}

/** Records (or forgets, when it has none) the network address of an inspected child. */
export async function learnChildAddress(runtime: Runtime, info: Pick<ChildInfo, 'name' | 'networkAddress'>): Promise<void> {
  if (await forgeInContainer(runtime)) return;
  if (info.networkAddress) addresses.set(info.name, info.networkAddress);
  else addresses.delete(info.name);
}
