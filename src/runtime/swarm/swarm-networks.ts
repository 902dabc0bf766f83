import type Dockerode from 'dockerode';
import { DockerNetworks } from '../docker/docker-networks.js';
import { docker } from '../docker/docker-errors.js';
import { RuntimeError } from '../runtime.js';

/**
 * Networks for a swarm: attachable overlays, so services on every node (and, under Compose, the
 * forge's own container) can join. An overlay has no inter-container switch: `isolated` cannot
 * be honoured there (see docs/runtime-swarm.md); children still only expose their port.
 */
export class SwarmNetworks extends DockerNetworks {
  constructor(private readonly engine: Dockerode) {
    super(engine);
  }

  /** `internal` (no route out) is an overlay's `Internal`, refused for an existing network with a route out, as on docker. */
  override async ensure(name: string, labels: Record<string, string>, options: { isolated?: boolean; internal?: boolean } = {}): Promise<string> {
    const found = await docker(`inspect network ${name}`, () => this.engine.getNetwork(name).inspect(), null);
    if (found) {
      if (options.internal && !found.Internal) {
        throw new RuntimeError(`network ${name} exists but is not an internal network (it has a route out); remove it to let the forge re-create it`, 'conflict');
      }
      return found.Id as string;
    }
    const created = await docker(`create network ${name}`, () =>
      this.engine.createNetwork({ Name: name, Driver: 'overlay', Attachable: true, Internal: !!options.internal, Labels: labels, CheckDuplicate: true }),
    );
    return created.id;
  }
}
