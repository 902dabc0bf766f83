import Dockerode from 'dockerode';
import { TEST_LABEL_FILTER } from './test-env.js';

/** Test-side Docker access (tests may speak Docker directly to check what the forge did). */
export const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

/** Everything carrying this run's test label: containers, images, networks, volumes. */
export async function labelled(filter = TEST_LABEL_FILTER) {
  const filters = { label: [filter] };
  const [containers, images, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listImages({ filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return {
    containers: containers.map((c) => c.Names[0]?.replace(/^\//, '') ?? c.Id),
    images: images.map((i) => i.RepoTags?.[0] ?? i.Id),
    networks: networks.map((n) => n.Name),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
  };
}

/** Removes everything carrying this run's label; returns what it found. */
export async function removeLabelled(filter = TEST_LABEL_FILTER) {
  const found = await labelled(filter);
  const filters = { label: [filter] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  for (const i of await docker.listImages({ filters })) await docker.getImage(i.Id).remove({ force: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove({ force: true }).catch(() => undefined);
  return found;
}

export const countOf = (found: Awaited<ReturnType<typeof labelled>>) =>
  found.containers.length + found.images.length + found.networks.length + found.volumes.length;
