import os from 'node:os';
import type { ForgeConfig } from '../config/forge-config.js';
import { imageLabels, LABELS } from '../runtime/labels.js';
import type { Runtime } from '../runtime/runtime.js';
import { internalNetwork } from './child-spec.js';
import { forgeInContainer } from './host-paths.js';

/**
 * Creates the network for children whose units need no route out (only when nothing is
 * published: `children.publish_ports` false) and, when the forge itself runs in a container
 * (Compose), attaches the forge to it so it reaches them by name. A forge on the host reaches
 * them at their address; there inter-container traffic is off too, as on the forge's own
 * network. A forge in a container needs it on: it is a container on that network itself.
 */
export async function ensureInternalNetwork(runtime: Runtime, config: ForgeConfig, instanceId: string): Promise<string | null> {
  const name = internalNetwork(config, instanceId);
  if (!name) return null;
  const inContainer = await forgeInContainer(runtime);
  await runtime.networks.ensure(
    name,
    { ...imageLabels('network', config.docker.extra_labels), [LABELS.instance]: instanceId },
    { internal: true, isolated: !inContainer },
  );
  if (inContainer) await runtime.networks.join(name, os.hostname());
  return name;
}
