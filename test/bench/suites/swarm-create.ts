import { row, type BenchRow } from '../support/bench-row.js';
import { benchForge, type BenchForge } from '../support/bench-forge.js';
import { median, percentile, timed } from '../support/stats.js';
import { docker } from '../../support/docker-leaks.js';

export const title = 'create_server until MCP-ready on the swarm runtime, vs the docker runtime';

const RUNS = 6;
const REGISTRY = process.env.FORGE_RUNTIME_REGISTRY ?? '127.0.0.1:5000';

/** Whether this daemon manages a swarm and the registry answers; the suite needs both. */
async function swarmReady(): Promise<string | null> {
  const info = await docker.info();
  if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm?.ControlAvailable) return 'this daemon is not a swarm manager';
  const answered = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
  return answered ? null : `no registry answers at ${REGISTRY} (FORGE_RUNTIME_REGISTRY)`;
}

/**
 * One forge per runtime, the same create (echo) on each, alternating: warm (the first create of
 * each builds the image, and on swarm pushes it, unmeasured), then RUNS creates until MCP-ready,
 * each deleted before the next. On swarm the child is a one-replica service pinned to this node.
 */
export async function run(): Promise<BenchRow[]> {
  const missing = await swarmReady();
  if (missing) throw new Error(`skipped: ${missing} (docker swarm init; a registry such as Debian's docker-registry)`);
  const forges: Record<'docker' | 'swarm', BenchForge> = {
    docker: await benchForge({ runtime: { kind: 'docker' } }),
    swarm: await benchForge({ runtime: { kind: 'swarm', registry: REGISTRY, placement: ['node.role==manager'] } }),
  };
  const ms: Record<'docker' | 'swarm', number[]> = { docker: [], swarm: [] };
  try {
    for (const kind of ['docker', 'swarm'] as const) await forges[kind].call('delete_server', { server_id: (await forges[kind].create({ name: `bench-${kind}-warm`, capabilities: ['echo'] })).id });
    for (let i = 0; i < RUNS; i++) {
      for (const kind of i % 2 === 0 ? (['docker', 'swarm'] as const) : (['swarm', 'docker'] as const)) {
        const { ms: took, result: server } = await timed(() => forges[kind].create({ name: `bench-${kind}-${i}`, capabilities: ['echo'] }));
        ms[kind].push(took);
        await forges[kind].call('delete_server', { server_id: server.id });
      }
    }
    return [
      row('create_server → MCP ready on swarm, median', median(ms.swarm), median(ms.docker), 'ms', `n=${RUNS}; baseline: the docker runtime, same run; swarm: a one-replica service, image pushed to the registry once`),
      row('create_server → MCP ready on swarm, p90', percentile(ms.swarm, 90), percentile(ms.docker, 90), 'ms', `n=${RUNS}`),
    ];
  } finally {
    for (const forge of Object.values(forges)) {
      await forge.deleteAll();
      await forge.stop();
    }
  }
}
