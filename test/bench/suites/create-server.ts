import { row, type BenchRow } from '../support/bench-row.js';
import { benchForge } from '../support/bench-forge.js';
import { phaseRows } from '../support/phases.js';
import { rawRunUntilMcp, removeContainers } from '../support/raw-docker.js';
import { median, percentile, timed } from '../support/stats.js';

export const title = 'warm create_server until the child answers MCP, vs raw docker run';

const RUNS = 10;

/**
 * The image exists (a first create builds it, unmeasured). Each run: create_server through
 * MCP until it returns (it returns once the child answered MCP initialize), then delete;
 * and `docker run -d` of the same image until it answers MCP initialize, then remove.
 * The two alternate, so drift on the machine hits both alike.
 */
export async function run(): Promise<BenchRow[]> {
  const forge = await benchForge();
  const forgeMs: number[] = [];
  const rawMs: number[] = [];
  try {
    const first = await forge.create({ name: 'bench-warmup' });
    await forge.deleteAll();
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
      for (const step of i % 2 === 0 ? [viaForge, raw] : [raw, viaForge]) await step();
    }
    return [
      row('warm create_server → MCP ready, median', median(forgeMs), median(rawMs), 'ms', `n=${RUNS}; baseline: docker run -d + MCP initialize (target ratio ≤ 1.3)`),
      row('warm create_server → MCP ready, p90', percentile(forgeMs, 90), percentile(rawMs, 90), 'ms', `n=${RUNS}`),
      ...phaseRows(forge.phases, 'warm create_server'),
    ];
  } finally {
    await forge.stop();
  }
}
