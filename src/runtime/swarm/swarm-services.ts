import type Dockerode from 'dockerode';
import type { ChildClient, ChildInfo, ChildProcess, ChildSpec, ChildState, ChildSummary, HostInfo, ResourceLimits } from '../runtime.js';
import type { ChildStats, Subscription } from '../child-stats.js';
import { docker } from '../docker/docker-errors.js';
import { DockerContainers } from '../docker/docker-containers.js';
import { logTail, LOG_READ_MAX_BYTES } from '../docker/log-tail.js';
import { serviceLimits, serviceSpecFor } from './service-spec.js';
import { describeService, tasksOf } from './task-info.js';
import { TaskEngines } from './task-engines.js';
import { settle, waitUntil } from './task-wait.js';

type Raw = Record<string, any>;

/**
 * A task's port answers on every address of whichever node runs it: the child accepts each node's
 * address with its port as Host (nodes that join later: children.allowed_hosts, or re-create).
 */
function withNodeHosts(spec: ChildSpec, addresses: string[]): ChildSpec {
  if (spec.publish === false || !spec.env.FORGE_ALLOWED_HOSTS) return spec;
  const hosts = new Set<string>(JSON.parse(spec.env.FORGE_ALLOWED_HOSTS) as string[]);
  for (const a of addresses) hosts.add(`${a.includes(':') ? `[${a}]` : a}:${spec.hostPort}`);
  return { ...spec, env: { ...spec.env, FORGE_ALLOWED_HOSTS: JSON.stringify([...hosts]) } };
}

/** Children as swarm services of one replica: start and stop scale it, restart forces an update. */
export class SwarmServices implements ChildClient {
  constructor(
    private readonly api: Dockerode,
    private readonly host: () => Promise<HostInfo>,
    private readonly localNodeId: () => Promise<string>,
    private readonly engines: TaskEngines,
    private readonly placement: string[],
  ) {}

  async deploy(spec: ChildSpec): Promise<string> {
    const nodes = (await docker('list nodes', () => this.api.listNodes())) as Raw[];
    const addresses = nodes.map((n) => String(n.Status?.Addr ?? '')).filter(Boolean);
    const body = serviceSpecFor(withNodeHosts(spec, addresses), await this.host(), this.placement);
    const created = await docker(`create service ${spec.name}`, () => this.api.createService(body as unknown as Dockerode.CreateServiceOptions));
    return created.id;
  }

  async start(id: string) {
    await this.change(id, 'start', (spec, replicas) => (replicas === 0 ? setReplicas(spec, 1) : forceUpdate(spec)));
  }

  async stop(id: string, timeoutS: number) {
    const service = await this.service(id);
    if (!service) return;
    if (Number(service.Spec.Mode?.Replicated?.Replicas) !== 0) await this.retrying(id, (latest) => this.update(latest, setReplicas(latest.Spec, 0)));
    // Swarm stops the task with the service's own grace period; this waits for it (and a little more).
    await waitUntil(`stop ${id}`, (timeoutS + 15) * 1000, async () => (await tasksOf(this.api, id)).every((t) => !isLive(t)));
  }

  async restart(id: string, _timeoutS: number) {
    await this.change(id, 'restart', (spec) => forceUpdate(setReplicas(spec, 1)));
  }

  async remove(id: string) {
    const removed = await docker(`remove service ${id}`, () => this.api.getService(id).remove().then(() => true), false);
    if (!removed) return;
    // Swarm removes the task containers afterwards: wait, so the port is free and the network can go.
    const label = [`com.docker.swarm.service.id=${id}`];
    await waitUntil(`remove ${id}`, 30_000, async () => (await this.api.listContainers({ all: true, filters: { label } })).length === 0);
  }

  async inspect(idOrName: string): Promise<ChildInfo | null> {
    const service = await this.service(idOrName);
    return service ? describeService(this.api, await this.localNodeId(), service) : null;
  }

  async list(labelFilters: string[]): Promise<ChildSummary[]> {
    const services = (await docker('list services', () => this.api.listServices({ filters: { label: labelFilters } }))) as Raw[];
    const ids = services.map((s) => s.ID);
    const tasks = ids.length ? ((await docker('list tasks', () => this.api.listTasks({ filters: { service: ids } }))) as Raw[]) : [];
    return services.map((s) => {
      const newest = tasks.filter((t) => t.ServiceID === s.ID).sort((a, b) => Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt))[0];
      const state = String(newest?.Status?.State ?? '');
      const status: ChildState = state === 'running' ? 'running' : !newest ? 'created' : isLive(newest) ? 'restarting' : 'exited';
      return { id: s.ID, name: s.Spec.Name, image: s.Spec.TaskTemplate?.ContainerSpec?.Image ?? '', labels: s.Spec.Labels ?? {}, status };
    });
  }

  async publishedPorts(): Promise<number[]> {
    const services = (await docker('list services', () => this.api.listServices())) as Raw[];
    const ofServices = services.flatMap((s) => ((s.Endpoint?.Ports ?? s.Spec?.EndpointSpec?.Ports ?? []) as Raw[]).map((p) => Number(p.PublishedPort)));
    const ofContainers = await new DockerContainers(this.api, this.host).publishedPorts();
    return [...new Set([...ofServices, ...ofContainers].filter((p) => p > 0))];
  }

  async processes(id: string): Promise<ChildProcess[]> {
    const task = await this.engines.running(id).catch(() => null);
    return task ? new DockerContainers(task.api, this.host).processes(task.containerId) : [];
  }

  logs(id: string, tail: number) {
    return logTail(this.api, id, tail, LOG_READ_MAX_BYTES, 'services');
  }

  async updateLimits(id: string, limits: ResourceLimits): Promise<{ restarted: boolean }> {
    const host = await this.host();
    const service = await this.service(id);
    const current = service?.Spec?.TaskTemplate?.Resources?.Limits ?? {};
    const wanted = serviceLimits(limits, host, current.Pids);
    // The same limits again change no spec: Swarm would replace no task, and there is none to wait for.
    if (service && sameLimits(current, wanted)) return { restarted: false };
    await this.change(id, 'update limits of', (spec) => ({
      ...spec,
      TaskTemplate: { ...spec.TaskTemplate, Resources: { ...spec.TaskTemplate.Resources, Limits: wanted } },
    }));
    return { restarted: true };
  }

  async streamStats(id: string, onStats: (stats: ChildStats) => void, onEnd: (err: Error | null) => void): Promise<Subscription> {
    const task = await this.engines.running(id);
    if (!task) {
      queueMicrotask(() => onEnd(null));
      return { close: () => undefined };
    }
    return new DockerContainers(task.api, this.host).streamStats(task.containerId, onStats, onEnd);
  }

  async statsOnce(id: string): Promise<ChildStats | null> {
    const task = await this.engines.running(id);
    return task ? new DockerContainers(task.api, this.host).statsOnce(task.containerId) : null;
  }

  private service(idOrName: string): Promise<Raw | null> {
    return docker(`inspect service ${idOrName}`, () => this.api.getService(idOrName).inspect() as Promise<Raw>, null);
  }

  /** Runs `fn` on the service as it is now, again when Swarm answers "update out of sequence". */
  private async retrying(id: string, fn: (service: Raw) => Promise<void>) {
    for (let attempt = 1; ; attempt++) {
      const service = await this.service(id);
      if (!service) return;
      try {
        return await fn(service);
      } catch (err) {
        if (attempt >= 5 || !/out of sequence/.test((err as Error).message)) throw err;
      }
    }
  }

  private async update(service: Raw, spec: Raw) {
    await docker(`update service ${service.ID}`, () => this.api.getService(service.ID).update({ version: service.Version.Index, ...spec }));
  }

  /**
   * Updates the spec and waits for the task it brings up to run (or to fail: its error is thrown).
   * Swarm refuses an update of a version it moved on from (its allocator updates a new service):
   * read again and retry.
   */
  private async change(id: string, what: string, edit: (spec: Raw, replicas: number) => Raw) {
    for (let attempt = 1; ; attempt++) {
      const service = await this.service(id);
      if (!service) return docker(`${what} ${id}`, () => Promise.reject(Object.assign(new Error('no such service'), { statusCode: 404 })));
      const before = new Set((await tasksOf(this.api, service.ID)).map((t) => t.ID));
      try {
        await this.update(service, edit(service.Spec, Number(service.Spec.Mode?.Replicated?.Replicas ?? 0)));
      } catch (err) {
        if (attempt < 5 && /out of sequence/.test((err as Error).message)) continue;
        throw err;
      }
      return settle(this.api, service.ID, before, `${what} service ${id}`);
    }
  }
}

const LIMIT_KEYS = ['NanoCPUs', 'MemoryBytes', 'Pids'] as const;
const sameLimits = (a: Raw, b: Raw) => LIMIT_KEYS.every((k) => (Number(a[k]) || 0) === (Number(b[k]) || 0));
const LIVE = ['new', 'allocated', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running'];
const isLive = (task: Raw) => LIVE.includes(task.Status?.State);
const setReplicas = (spec: Raw, replicas: number) => ({ ...spec, Mode: { Replicated: { Replicas: replicas } } });
const forceUpdate = (spec: Raw) => ({ ...spec, TaskTemplate: { ...spec.TaskTemplate, ForceUpdate: (Number(spec.TaskTemplate?.ForceUpdate) || 0) + 1 } });
