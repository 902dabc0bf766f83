import Dockerode from 'dockerode';
import { TEST_LABEL_FILTER } from './test-env.js';

/** Test-side Docker access (tests may speak Docker directly to check what the forge did). */
export const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

/** Swarm services carrying the label; none when the daemon is no swarm manager (the API refuses). */
const servicesOf = (filters: { label: string[] }) => docker.listServices({ filters }).catch(() => []);

/** Everything carrying this run's test label: containers, images, networks, volumes, swarm services. */
export async function labelled(filter = TEST_LABEL_FILTER) {
  const filters = { label: [filter] };
  const [containers, images, networks, volumes, services] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listImages({ filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
    servicesOf(filters),
  ]);
  return {
    containers: containers.map((c) => c.Names[0]?.replace(/^\//, '') ?? c.Id),
    images: images.map((i) => i.RepoTags?.[0] ?? i.Id),
    networks: networks.map((n) => n.Name),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
    services: services.map((s) => s.Spec?.Name ?? s.ID),
  };
}

/** Removes everything carrying this run's label; returns what it found. */
export async function removeLabelled(filter = TEST_LABEL_FILTER) {
  const found = await labelled(filter);
  const filters = { label: [filter] };
  // Services first: their tasks' containers would otherwise come back.
  for (const s of await servicesOf(filters)) await docker.getService(s.ID).remove().catch(() => undefined);
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  for (const i of await docker.listImages({ filters })) await docker.getImage(i.Id).remove({ force: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove({ force: true }).catch(() => undefined);
  return found;
}

export const countOf = (found: Awaited<ReturnType<typeof labelled>>) =>
  found.containers.length + found.images.length + found.networks.length + found.volumes.length + found.services.length;
