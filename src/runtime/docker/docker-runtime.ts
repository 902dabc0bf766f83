import Dockerode from 'dockerode';
import type { EngineVersion, HostInfo, Runtime } from '../runtime.js';
import type { ChildEvent, Subscription } from '../child-stats.js';
import { DockerContainers } from './docker-containers.js';
import { followContainerEvents } from './docker-events.js';
import { DockerImages } from './docker-images.js';
import { DockerNetworks } from './docker-networks.js';
import { DockerVolumes } from './docker-volumes.js';
import { docker } from './docker-errors.js';

/** The Docker implementation of Runtime: the only place that constructs dockerode. */
export class DockerRuntime implements Runtime {
  readonly kind = 'docker' as const;
  readonly images: DockerImages;
  readonly children: DockerContainers;
  readonly networks: DockerNetworks;
  readonly volumes: DockerVolumes;
  private readonly api: Dockerode;
  private hostInfo: Promise<HostInfo> | null = null;

  constructor(socketPath: string) {
    this.api = new Dockerode({ socketPath });
    this.images = new DockerImages(this.api);
    this.children = new DockerContainers(this.api, () => this.host());
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

  host(): Promise<HostInfo> {
    this.hostInfo ??= docker('engine info', () => this.api.info()).then(
      (info) => ({ cpus: Number(info.NCPU) || 1, memoryBytes: Number(info.MemTotal) || 0 }),
      (err) => {
        this.hostInfo = null;
        throw err;
      },
    );
    return this.hostInfo;
  }

  events(
    labelFilters: string[],
    onEvent: (event: ChildEvent) => void,
    onEnd: (err: Error | null) => void,
    since?: Date,
  ): Promise<Subscription> {
    return followContainerEvents(this.api, labelFilters, onEvent, onEnd, since);
  }
}
