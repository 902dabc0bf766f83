import { row, type BenchRow } from '../support/bench-row.js';
import { benchForge } from '../support/bench-forge.js';
import { phaseRows } from '../support/phases.js';
import { apiRunLikeForge, rawRunUntilMcp, removeContainers } from '../support/raw-docker.js';
import { median, percentile, timed } from '../support/stats.js';
import { RUN_ID } from '../../support/test-env.js';

export const title = 'warm create_server until the child answers MCP, vs the same container through the Docker API';

const RUNS = 10;

/**
 * The image exists (a first create builds it, unmeasured). Each run: create_server through
 * MCP until it returns (it returns once the child answered MCP initialize), then delete; the
 * same container spec (copied from a forge child: image, env, user, HostConfig, network) created
 * and started through the Docker API until it answers MCP initialize (the fair baseline); and,
 * for reference, a plain CLI `docker run -d` of the image without the hardening. Steps rotate,
 * so drift on the machine hits all alike.
 */
export async function run(): Promise<BenchRow[]> {
  const forge = await benchForge();
  const forgeMs: number[] = [];
  const rawMs: number[] = [];
  const apiMs: number[] = [];
  try {
    const first = await forge.create({ name: 'bench-warmup' });
    const template = first.container_id as string;
    forge.phases.length = 0;
    for (let i = 0; i < RUNS; i++) {
      const viaForge = async () => {
        const { ms, result: server } = await timed(() => forge.create({ name: `bench-warm-${i}` }));
        forgeMs.push(ms);
        await forge.call('delete_server', { server_id: server.id });
      };
      const raw = async () => {
        const { ms, id } = await rawRunUntilMcp(first.image, `bench-raw-${i}`);
        rawMs.push(ms);
        await removeContainers([id]);
      };
      const api = async () => {
        const { ms, id } = await apiRunLikeForge(template, `bench-api-${RUN_ID}-${i}`);
        apiMs.push(ms);
        await removeContainers([id]);
      };
      const steps = [viaForge, api, raw];
      for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]!();
    }
    return [
      row('warm create_server → MCP ready, median', median(forgeMs), median(apiMs), 'ms', `n=${RUNS}; baseline: the same container spec created and started through the Docker API + MCP initialize (target ratio ≤ 1.05)`),
      row('warm create_server → MCP ready, p90', percentile(forgeMs, 90), percentile(apiMs, 90), 'ms', `n=${RUNS}`),
      row('warm create_server → MCP ready, median, vs plain docker run', median(forgeMs), median(rawMs), 'ms', `n=${RUNS}; reference: CLI docker run -d without the hardening, limits or network`),
      ...phaseRows(forge.phases, 'warm create_server'),
    ];
  } finally {
    await forge.deleteAll();
    await forge.stop();
  }
}
