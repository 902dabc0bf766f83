import type Dockerode from 'dockerode';
import { DockerNetworks } from '../docker/docker-networks.js';
import { docker } from '../docker/docker-errors.js';

/**
 * Networks for a swarm: attachable overlays, so services on every node (and, under Compose, the
 * forge's own container) can join. An overlay has no inter-container switch: `isolated` cannot
 * be honoured there (see docs/runtime-swarm.md); children still only expose their port.
 */
export class SwarmNetworks extends DockerNetworks {
  constructor(private readonly engine: Dockerode) {
    super(engine);
  }

  override async ensure(name: string, labels: Record<string, string>): Promise<string> {
    const found = await docker(`inspect network ${name}`, () => this.engine.getNetwork(name).inspect(), null);
    if (found) return found.Id as string;
    const created = await docker(`create network ${name}`, () =>
      this.engine.createNetwork({ Name: name, Driver: 'overlay', Attachable: true, Labels: labels, CheckDuplicate: true }),
    );
    return created.id;
  }

  /** A service names its networks in its spec: nothing to re-attach. */
  override async reattach(): Promise<void> {}
}
