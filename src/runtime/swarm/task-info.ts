import type Dockerode from 'dockerode';
import type { ChildInfo, ChildState } from '../runtime.js';
import { docker } from '../docker/docker-errors.js';

type Raw = Record<string, any>;

/** Task states before the container runs. */
const PENDING = ['new', 'allocated', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting'];
const ENDED = ['complete', 'shutdown', 'failed'];

/** A service's tasks, newest first (tasks filtered by service match name prefixes too: checked by id). */
export async function tasksOf(api: Dockerode, serviceId: string): Promise<Raw[]> {
  const tasks = await docker(`tasks of ${serviceId}`, () => api.listTasks({ filters: { service: [serviceId] } }));
  return (tasks as Raw[]).filter((t) => t.ServiceID === serviceId).sort((a, b) => Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt));
}

/**
 * Restarts as Docker counts them: tasks created after the service's last change (a scale or a
 * forced update is a manual start or restart) besides the first of them.
 */
export function restartsOf(service: Raw, tasks: Raw[]): number {
  const since = Date.parse(service.UpdatedAt ?? service.CreatedAt);
  return Math.max(0, tasks.filter((t) => Date.parse(t.CreatedAt) >= since).length - 1);
}

function stateOf(replicas: number, task: Raw | undefined, restarts: number): ChildState {
  if (!task) return 'created'; // never started (deploy creates at 0 replicas), or not yet scheduled
  const state = String(task.Status?.State ?? 'new');
  if (state === 'running') return 'running';
  if (PENDING.includes(state)) return restarts > 0 ? 'restarting' : replicas === 0 ? 'exited' : 'created';
  if (ENDED.includes(state)) return 'exited';
  return 'dead'; // rejected, orphaned, remove
}

const address = (cidr: unknown) => (typeof cidr === 'string' ? cidr.split('/')[0]! : null);
const when = (s?: string) => (s && !s.startsWith('0001-') ? new Date(s) : null);

/**
 * A child service as ChildInfo: state, exit code and times from its newest task (and from the
 * task's container when it runs on this daemon), the node it runs on and that node's address,
 * and the published host-mode port. On the forge's own node the address is loopback: a host-mode
 * port binds every address of the node, and children accept 127.0.0.1 as their Host.
 */
export async function describeService(api: Dockerode, localNodeId: string, service: Raw): Promise<ChildInfo> {
  const tasks = await tasksOf(api, service.ID);
  const replicas = Number(service.Spec?.Mode?.Replicated?.Replicas ?? 0);
  const task = tasks[0];
  const restartCount = restartsOf(service, tasks);
  const local = task?.NodeID === localNodeId;
  const containerId: string | undefined = task?.Status?.ContainerStatus?.ContainerID;
  const container = local && containerId ? await docker('inspect task container', () => api.getContainer(containerId).inspect(), null) : null;
  // On this node the container's state counts: the task's follows it a moment later.
  const status = container?.State?.Running && task?.DesiredState === 'running' ? 'running' : stateOf(replicas, task, restartCount);
  const node = task?.NodeID ? await docker(`inspect node ${task.NodeID}`, () => api.getNode(task.NodeID).inspect(), null) : null;
  const attachment = ((task?.NetworksAttachments ?? []) as Raw[]).find((a) => !a.Network?.Spec?.Ingress);
  const port = ((service.Endpoint?.Ports ?? service.Spec?.EndpointSpec?.Ports ?? []) as Raw[])[0];
  const lastExit = tasks.find((t) => ENDED.includes(t.Status?.State) && t.Status?.ContainerStatus);
  const exitCode = status === 'running' && restartCount === 0 ? null : (lastExit?.Status?.ContainerStatus?.ExitCode ?? null);
  const stamp = when(task?.Status?.Timestamp);
  return {
    id: service.ID,
    name: service.Spec.Name,
    image: service.Spec.TaskTemplate?.ContainerSpec?.Image ?? '',
    labels: service.Spec.Labels ?? {},
    status,
    running: status === 'running',
    startedAt: container ? when(container.State.StartedAt) : status === 'running' ? stamp : null,
    finishedAt: container ? when(container.State.FinishedAt) : status === 'exited' || status === 'dead' ? stamp : null,
    exitCode: exitCode === null ? null : Number(exitCode),
    oomKilled: !!container?.State?.OOMKilled,
    restartCount,
    pid: container?.State?.Running ? Number(container.State.Pid) || 0 : 0,
    networkAddress: address(attachment?.Addresses?.[0]),
    hostPort: port?.PublishedPort ? Number(port.PublishedPort) : null,
    hostAddress: !node ? null : local ? '127.0.0.1' : (node.Status?.Addr ?? null),
    node: node ? { id: node.ID, name: node.Description?.Hostname ?? node.ID } : null,
  };
}
