/**
 * `npx tsx test/bench/create-ready-by-runtime.ts [n]`: create_server until MCP-ready, n times
 * (5 by default, after one warm-up that builds the image) on the docker runtime, then on swarm;
 * prints each runtime's times and median in ms. Needs a swarm manager daemon and the test registry.
 */
import { startForge } from '../support/forge-fixture.js';
import { removeTestImages } from '../support/forge-fixture.js';

const n = Number(process.argv[2] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const kind of ['docker', 'swarm'] as const) {
  process.env.FORGE_RUNTIME = kind;
  const h = await startForge({ runtime: kind === 'swarm' ? { kind, placement: ['node.role==manager'], registry: process.env.FORGE_RUNTIME_REGISTRY ?? '127.0.0.1:5000' } : { kind } });
  const times: number[] = [];
  try {
    for (let i = 0; i <= n; i++) {
      const started = performance.now();
      const created = await h.call('create_server', { name: `bench-${kind}-${i}`, capabilities: ['echo'] });
      const ms = performance.now() - started;
      if (created.status !== 'success') throw new Error(JSON.stringify(created));
      if (i > 0) times.push(Math.round(ms)); // the first builds and pushes the image
      await h.call('delete_server', { server_id: created.server.id });
    }
  } finally {
    await h.stop();
  }
  console.log(JSON.stringify({ runtime: kind, create_until_ready_ms: times, median_ms: median(times) }));
}
await removeTestImages();
