import type Dockerode from 'dockerode';
import { docker } from './docker-leaks.js';
import { runtimeKind } from './test-env.js';
import { until } from './poll.js';

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

/** Removes a child by name behind the forge's back (a container, or a service and its task containers). */
export async function removeChildByName(name: string): Promise<void> {
  if (runtimeKind() === 'docker') return docker.getContainer(name).remove({ force: true });
  const service = await docker.getService(name).inspect();
  await docker.getService(service.ID).remove();
  const label = [`com.docker.swarm.service.id=${service.ID}`];
  await until('the task containers gone', async () => ((await docker.listContainers({ all: true, filters: { label } })).length === 0 ? true : undefined));
}

/** Creates a child (never started) the forge did not make: a container, or a service of no replicas. */
export async function createStrayChild(name: string, image: string, labels: Record<string, string>): Promise<void> {
  if (runtimeKind() === 'docker') {
    await docker.createContainer({ name, Image: image, Labels: labels });
    return;
  }
  await docker.createService({ Name: name, Labels: labels, TaskTemplate: { ContainerSpec: { Image: image, Labels: labels } }, Mode: { Replicated: { Replicas: 0 } } });
}

/** The names of this run's children left (containers, or services on swarm). */
export async function childNames(labelFilter: string): Promise<string[]> {
  if (runtimeKind() === 'docker') return (await docker.listContainers({ all: true, filters: { label: [labelFilter] } })).map((c) => c.Names[0]!.replace(/^\//, ''));
  return (await docker.listServices({ filters: { label: [labelFilter] } })).map((s) => s.Spec!.Name!);
}

/** Children carrying a label as the engine has them: server id, name, whether it runs (docker ps, or services and their newest task). */
export async function childrenWithLabel(label: string): Promise<Array<{ serverId: string; name: string; running: boolean }>> {
  if (runtimeKind() === 'docker') {
    const containers = await docker.listContainers({ all: true, filters: { label: [label] } });
    return containers.map((c) => ({ serverId: c.Labels['io.mcp-forge.server-id'] ?? '', name: c.Names[0]!.replace(/^\//, ''), running: c.State === 'running' }));
  }
  const services = await docker.listServices({ filters: { label: [label] } });
  return Promise.all(
    services.map(async (s) => {
      const tasks = ((await docker.listTasks({ filters: { service: [s.ID!] } })) as Task[]).filter((t) => t.ServiceID === s.ID).sort((a, b) => Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt));
      return { serverId: s.Spec!.Labels?.['io.mcp-forge.server-id'] ?? '', name: s.Spec!.Name!, running: tasks[0]?.Status?.State === 'running' };
    }),
  );
}
