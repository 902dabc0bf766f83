import type Dockerode from 'dockerode';
import { RuntimeError, type NetworkClient } from '../runtime.js';
import { docker } from './docker-errors.js';

/** Networks through dockerode. */
export class DockerNetworks implements NetworkClient {
  constructor(private readonly api: Dockerode) {}

  async ensure(name: string, labels: Record<string, string>, options: { isolated?: boolean; internal?: boolean } = {}): Promise<string> {
    const found = await docker(`inspect network ${name}`, () => this.api.getNetwork(name).inspect(), null);
    if (found) {
      // A child meant to have no route out must never land on a network that has one.
      if (options.internal && !found.Internal) {
        throw new RuntimeError(`network ${name} exists but is not an internal network (it has a route out); remove it to let the forge re-create it`, 'conflict');
      }
      return found.Id as string;
    }
    const created = await docker(`create network ${name}`, () =>
      this.api.createNetwork({
        Name: name,
        Driver: 'bridge',
        Labels: labels,
        CheckDuplicate: true,
        Internal: !!options.internal,
        ...(options.isolated ? { Options: { 'com.docker.network.bridge.enable_icc': 'false' } } : {}),
      }),
    );
    return created.id;
  }

  async labels(name: string): Promise<Record<string, string> | null> {
    const found = await docker(`inspect network ${name}`, () => this.api.getNetwork(name).inspect(), null);
    return found ? ((found.Labels as Record<string, string> | null) ?? {}) : null;
  }

  async remove(name: string): Promise<void> {
    await docker(`remove network ${name}`, () => this.api.getNetwork(name).remove(), undefined);
  }

  async join(name: string, containerName: string): Promise<void> {
    const network = this.api.getNetwork(name);
    // Force: the endpoint may belong to a network that no longer exists; not connected is fine too.
    await network.disconnect({ Container: containerName, Force: true }).catch(() => undefined);
    await docker(`connect ${containerName} to network ${name}`, () => network.connect({ Container: containerName }));
  }
}
