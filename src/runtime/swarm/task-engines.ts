import Dockerode from 'dockerode';
import { RuntimeError } from '../runtime.js';
import { docker } from '../docker/docker-errors.js';
import { tasksOf } from './task-info.js';

/** Where a child's running task container can be read: the engine of its node and the container's id. */
export interface TaskContainer {
  api: Dockerode;
  containerId: string;
}

/** `tcp://host:port` or `unix:///path` (a node's Docker endpoint in runtime.node_engines) as dockerode options. */
function endpointOptions(endpoint: string): Dockerode.DockerOptions {
  const url = new URL(endpoint);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  return { host: url.hostname, port: Number(url.port) || 2375, protocol: url.protocol === 'https:' ? 'https' : 'http' };
}

/**
 * The engines that can read a task's container: this daemon for tasks on its node, and the
 * endpoints `runtime.node_engines` names (by node hostname or id) for tasks elsewhere. A task on
 * any other node cannot be read: RuntimeError `unavailable` says which node and which key.
 */
export class TaskEngines {
  private readonly remote = new Map<string, Dockerode>();

  constructor(
    private readonly api: Dockerode,
    private readonly localNodeId: () => Promise<string>,
    private readonly nodeEngines: Record<string, string>,
  ) {}

  /**
   * The running task's container, null when the child has no running task. On this node the
   * container's own state counts: the task's state follows it a moment later (a start event
   * arrives while the task still says "starting").
   */
  async running(serviceId: string): Promise<TaskContainer | null> {
    const task = (await tasksOf(this.api, serviceId)).find((t) => ['starting', 'running'].includes(t.Status?.State) && t.Status?.ContainerStatus?.ContainerID);
    if (!task) return null;
    const containerId: string = task.Status.ContainerStatus.ContainerID;
    if (task.NodeID === (await this.localNodeId())) {
      const container = await docker('inspect task container', () => this.api.getContainer(containerId).inspect(), null);
      return container?.State?.Running ? { api: this.api, containerId } : null;
    }
    if (task.Status.State !== 'running') return null;
    const node = await docker(`inspect node ${task.NodeID}`, () => this.api.getNode(task.NodeID).inspect(), null);
    const hostname: string = node?.Description?.Hostname ?? '';
    const endpoint = this.nodeEngines[hostname] ?? this.nodeEngines[task.NodeID];
    if (!endpoint) {
      throw new RuntimeError(
        `the task of ${serviceId} runs on node ${hostname || task.NodeID}, whose engine the forge cannot reach: name it in runtime.node_engines (FORGE_RUNTIME_NODE_ENGINES)`,
        'unavailable',
      );
    }
    let api = this.remote.get(endpoint);
    if (!api) this.remote.set(endpoint, (api = new Dockerode(endpointOptions(endpoint))));
    return { api, containerId };
  }

  /** Drops the connections to other nodes' engines. */
  close(): void {
    this.remote.clear();
  }
}
