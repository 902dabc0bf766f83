import Dockerode from 'dockerode';
import type { ContainerRuntime, EngineVersion } from '../container-runtime.js';
import { DockerContainers } from './docker-containers.js';
import { DockerImages } from './docker-images.js';
import { DockerNetworks } from './docker-networks.js';
import { DockerVolumes } from './docker-volumes.js';
import { docker } from './docker-errors.js';

/** The Docker implementation of ContainerRuntime: the only place that constructs dockerode. */
export class DockerRuntime implements ContainerRuntime {
  readonly images: DockerImages;
  readonly containers: DockerContainers;
  readonly networks: DockerNetworks;
  readonly volumes: DockerVolumes;
  private readonly api: Dockerode;

  constructor(socketPath: string) {
    this.api = new Dockerode({ socketPath });
    this.images = new DockerImages(this.api);
    this.containers = new DockerContainers(this.api);
    this.networks = new DockerNetworks(this.api);
    this.volumes = new DockerVolumes(this.api);
  }

  async ping(): Promise<void> {
    await docker('ping', () => this.api.ping());
  }

  async version(): Promise<EngineVersion> {
    const v = await docker('version', () => this.api.version());
    return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch };
  }
}
