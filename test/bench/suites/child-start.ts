import { setTimeout as delay } from 'node:timers/promises';
import { initializeOnce } from '../../../src/servers/mcp-ready.js';
import { docker } from '../../support/docker-leaks.js';
import { row, type BenchRow } from '../support/bench-row.js';
import { benchForge } from '../support/bench-forge.js';
import { rawBareNode, removeContainers } from '../support/raw-docker.js';
import { containerNodeRssMiB } from '../support/rss.js';
import { median, percentile } from '../support/stats.js';

export const title = 'child start: docker start → MCP initialize, vs a bare Node HTTP server in the same image';

const RUNS = 10;
const POLL_MS = 5;

/** Milliseconds from `docker start` returning until `answers` resolves (polled every POLL_MS for both sides alike). */
async function startUntil(id: string, answers: () => Promise<unknown>): Promise<number> {
  const container = docker.getContainer(id);
  await container.stop({ t: 5 }).catch(() => undefined);
  await container.start();
  const started = performance.now();
  for (;;) {
    try {
      await answers();
      return performance.now() - started;
    } catch {
      await delay(POLL_MS);
    }
  }
}

const port = async (id: string) => Number((await docker.getContainer(id).inspect()).NetworkSettings.Ports['8080/tcp']?.[0]?.HostPort);

/**
 * A forged child (echo, time, uptime) is stopped and started again with Docker; the time counts
 * from `docker start` returning until it answers a real MCP initialize. The baseline is a bare
 * `http.createServer` container from the same child image, until it answers HTTP. Runs alternate.
 * Idle RSS of both is read after the runs, from /proc on the host.
 */
export async function run(): Promise<BenchRow[]> {
  const forge = await benchForge();
  const childMs: number[] = [];
  const bareMs: number[] = [];
  let bare: string | undefined;
  try {
    const server = await forge.create({ name: 'bench-start', capabilities: ['echo', 'time', 'uptime'] });
    bare = await rawBareNode(server.image);
    const childUrl = `http://127.0.0.1:${server.port}/mcp`;
    const bareUrl = `http://127.0.0.1:${await port(bare)}/`;
    const child = () => startUntil(server.container_id, () => initializeOnce(childUrl, 1000)).then((ms) => childMs.push(ms));
    const plain = () => startUntil(bare!, async () => {
      const res = await fetch(bareUrl, { signal: AbortSignal.timeout(1000) });
      await res.text();
      if (!res.ok) throw new Error(String(res.status));
    }).then((ms) => bareMs.push(ms));
    for (let i = 0; i < RUNS; i++) for (const step of i % 2 === 0 ? [child, plain] : [plain, child]) await step();
    await delay(2000);
    const childRss = await containerNodeRssMiB(server.container_id);
    const bareRss = await containerNodeRssMiB(bare);
    return [
      row('child start → MCP initialize, median', median(childMs), median(bareMs), 'ms', `n=${RUNS}; baseline: bare Node HTTP server container from the same image → HTTP answer (target ratio ≤ 1.5)`),
      row('child start → MCP initialize, p90', percentile(childMs, 90), percentile(bareMs, 90), 'ms', `n=${RUNS}`),
      row('child idle RSS after restarts', childRss, bareRss, 'MiB', 'one initialize answered; baseline: the bare Node server (target ratio ≤ 1.15)'),
    ];
  } finally {
    if (bare) await removeContainers([bare]);
    await forge.deleteAll();
    await forge.stop();
  }
}
