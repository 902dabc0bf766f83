import { LABELS } from '../runtime/labels.js';
import { ConfigError } from './load-config.js';
import type { ForgeConfig } from './forge-config.js';

/** The labels of a Docker network by name, or null when there is none. */
export type NetworkLabels = (name: string) => Promise<Record<string, string> | null>;

/**
 * children.network must be a network MCP-Forge created (its labels say so) or one it will
 * create: children on someone else's network would meet containers the forge knows nothing of.
 * Checked at start-up and by set_config; throws ConfigError naming the network.
 */
export async function checkChildNetwork(config: ForgeConfig, labelsOf: NetworkLabels): Promise<void> {
  const name = config.children.network;
  if (name === null) return;
  const labels = await labelsOf(name);
  if (labels === null || (labels[LABELS.managed] === 'true' && labels[LABELS.kind] === 'network')) return;
  throw new ConfigError(
    `invalid configuration: children.network "${name}" exists but was not created by MCP-Forge (it lacks the labels ` +
      `${LABELS.managed}=true and ${LABELS.kind}=network); use null for a network of the forge's own, a name that does not exist yet, or add the labels where the network is defined`,
  );
}
