import type Dockerode from 'dockerode';
import type { NetworkClient } from '../runtime.js';
import { docker } from './docker-errors.js';

/** Networks through dockerode. */
export class DockerNetworks implements NetworkClient {
  constructor(private readonly api: Dockerode) {}

  async ensure(name: string, labels: Record<string, string>, options: { isolated?: boolean } = {}): Promise<string> {
    const found = await docker(`inspect network ${name}`, () => this.api.getNetwork(name).inspect(), null);
    if (found) return found.Id as string;
    const created = await docker(`create network ${name}`, () =>
      this.api.createNetwork({
        Name: name,
        Driver: 'bridge',
        Labels: labels,
        CheckDuplicate: true,
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
}
