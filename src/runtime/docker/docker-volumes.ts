import type Dockerode from 'dockerode';
import type { VolumeClient } from '../runtime.js';
import { docker } from './docker-errors.js';

/** Named volumes through dockerode. */
export class DockerVolumes implements VolumeClient {
  constructor(private readonly api: Dockerode) {}

  async ensure(name: string, labels: Record<string, string>): Promise<void> {
    if (await this.inspect(name)) return;
    await docker(`create volume ${name}`, () => this.api.createVolume({ Name: name, Driver: 'local', Labels: labels }));
  }

  async inspect(name: string) {
    const info = await docker(`inspect volume ${name}`, () => this.api.getVolume(name).inspect(), null);
    return info ? { name: info.Name, labels: info.Labels ?? {} } : null;
  }

  async remove(name: string): Promise<void> {
    await docker(`remove volume ${name}`, () => this.api.getVolume(name).remove(), undefined);
  }
}
