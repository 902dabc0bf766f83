import Dockerode from 'dockerode';
import { RuntimeError, type EngineVersion, type HostInfo, type Runtime } from '../runtime.js';
import type { ChildEvent, Subscription } from '../child-stats.js';
import type { ForgeConfig } from '../../config/forge-config.js';
import { docker } from '../docker/docker-errors.js';
import { DockerVolumes } from '../docker/docker-volumes.js';
import { followSwarmEvents } from './swarm-events.js';
import { SwarmImages } from './swarm-images.js';
import { SwarmNetworks } from './swarm-networks.js';
import { SwarmServices } from './swarm-services.js';
import { TaskEngines } from './task-engines.js';

/**
 * The Docker Swarm implementation of Runtime: each child a service of one replica, images pushed
 * to `runtime.registry`, networks attachable overlays. The forge talks to a manager's engine;
 * named volumes live on the node that runs the task (the local volume driver).
 */
export class SwarmRuntime implements Runtime {
  readonly kind = 'swarm' as const;
  readonly images: SwarmImages;
  readonly children: SwarmServices;
  readonly networks: SwarmNetworks;
  readonly volumes: DockerVolumes;
  private readonly api: Dockerode;
  private readonly engines: TaskEngines;
  private hostInfo: Promise<HostInfo> | null = null;
  private nodeId: Promise<string> | null = null;

  constructor(socketPath: string, settings: ForgeConfig['runtime'], warn?: (message: string) => void) {
    this.api = new Dockerode({ socketPath });
    this.engines = new TaskEngines(this.api, () => this.localNodeId(), settings.node_engines);
    this.images = new SwarmImages(this.api, settings.registry, warn);
    this.children = new SwarmServices(this.api, () => this.host(), () => this.localNodeId(), this.engines, settings.placement);
    this.networks = new SwarmNetworks(this.api);
    this.volumes = new DockerVolumes(this.api);
  }

  /** Resolves when the engine answers and is a swarm manager (services can be made there only). */
  async ping(): Promise<void> {
    await docker('ping', () => this.api.ping());
    await this.localNodeId();
  }

  async version(): Promise<EngineVersion> {
    const v = await docker('version', () => this.api.version());
    return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch };
  }

  /** The largest node: a child's limits must fit on one node. */
  host(): Promise<HostInfo> {
    this.hostInfo ??= docker('list nodes', () => this.api.listNodes()).then(
      (nodes: Array<{ Description?: { Resources?: { NanoCPUs?: number; MemoryBytes?: number } } }>) => {
        const sizes = nodes.map((n) => ({ cpus: (n.Description?.Resources?.NanoCPUs ?? 0) / 1e9, memoryBytes: n.Description?.Resources?.MemoryBytes ?? 0 }));
        return { cpus: Math.max(1, ...sizes.map((s) => s.cpus)), memoryBytes: Math.max(0, ...sizes.map((s) => s.memoryBytes)) };
      },
      (err) => {
        this.hostInfo = null;
        throw err;
      },
    );
    return this.hostInfo;
  }

  events(labelFilters: string[], onEvent: (event: ChildEvent) => void, onEnd: (err: Error | null) => void, since?: Date): Promise<Subscription> {
    return followSwarmEvents(this.api, labelFilters, onEvent, onEnd, since);
  }

  async close(): Promise<void> {
    this.engines.close();
  }

  /** This daemon's swarm node id; RuntimeError `unavailable` when it is no swarm manager. */
  private localNodeId(): Promise<string> {
    this.nodeId ??= docker('engine info', () => this.api.info())
      .then((info) => {
        const swarm = info.Swarm ?? {};
        if (swarm.LocalNodeState !== 'active' || !swarm.ControlAvailable) {
          throw new RuntimeError('runtime.kind is swarm but this Docker engine is no swarm manager (docker swarm init)', 'unavailable');
        }
        return String(swarm.NodeID);
      })
      .catch((err) => {
        this.nodeId = null;
        throw err;
      });
    return this.nodeId;
  }
}
