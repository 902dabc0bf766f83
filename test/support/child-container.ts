import type Dockerode from 'dockerode';
import { docker } from './docker-leaks.js';
import { runtimeKind } from './test-env.js';

type Task = { ID: string; ServiceID: string; CreatedAt: string; Status?: { State?: string; ContainerStatus?: { ContainerID?: string } } };

/**
 * The Docker container that runs a child: the container itself (docker), or the newest task's
 * container of the child's service (swarm: the running one when there is one). Rejects with a
 * 404 like dockerode's when the child is gone.
 */
export async function childContainerId(childId: string, kind = runtimeKind()): Promise<string> {
  if (kind === 'docker') return childId;
  const service = await docker.getService(childId).inspect();
  const tasks = ((await docker.listTasks({ filters: { service: [service.ID] } })) as Task[])
    .filter((t) => t.ServiceID === service.ID && t.Status?.ContainerStatus?.ContainerID)
    .sort((a, b) => Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt));
  const task = tasks.find((t) => t.Status?.State === 'running') ?? tasks[0];
  if (!task) throw Object.assign(new Error(`service ${childId} has no task container`), { statusCode: 404 });
  return task.Status!.ContainerStatus!.ContainerID!;
}

/** `docker inspect` of the container that runs a child (see childContainerId). */
export async function inspectChild(childId: string): Promise<Dockerode.ContainerInspectInfo> {
  return docker.getContainer(await childContainerId(childId)).inspect();
}

/** `docker service inspect` of a swarm child. */
export function inspectService(childId: string): Promise<any> {
  return docker.getService(childId).inspect();
}
