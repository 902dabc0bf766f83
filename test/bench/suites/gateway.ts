import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { call, connect } from '../../support/forge-fixture.js';
import { buildDist } from '../../support/host.js';
import { testConfig } from '../../support/test-env.js';
import { FORGE_PORTS } from '../support/bench-forge.js';
import { row, type BenchRow } from '../support/bench-row.js';
import { cpuSeconds } from '../support/cpu-seconds.js';
import { startForgeProcess } from '../support/forge-process.js';
import { inBatches, median, percentile, timed } from '../support/stats.js';

export const title = 'gateway: a call through /gateway/mcp vs straight to the child; 50 sessions; tools/list over many children';

const CALLS = 300;
const SESSIONS = 50;
const LOAD_S = Number(process.env.BENCH_GATEWAY_LOAD_S ?? 30);
const CHILDREN = Number(process.env.BENCH_GATEWAY_CHILDREN ?? 50);

const echo = (client: Client, name: string) => client.callTool({ name, arguments: { message: 'bench' } });

/** `calls` sequential calls on each side, alternating which goes first, after a warm-up. */
async function latency(direct: Client, gateway: Client, tool: string) {
  for (let i = 0; i < 20; i++) await echo(direct, 'echo'), await echo(gateway, tool);
  const viaGateway: number[] = [];
  const straight: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const pair = [() => timed(() => echo(gateway, tool)).then((r) => viaGateway.push(r.ms)), () => timed(() => echo(direct, 'echo')).then((r) => straight.push(r.ms))];
    if (i % 2) pair.reverse();
    for (const step of pair) await step();
  }
  return { viaGateway, straight };
}

/** SESSIONS sessions on `url` each calling `tool` in a loop for LOAD_S seconds; with `pid`, that process's CPU per call. */
async function load(url: string, tool: string, pid?: number) {
  const sessions = await inBatches(Array.from({ length: SESSIONS }, () => () => connect(url)), 10);
  const ms: number[] = [];
  let errors = 0;
  let firstError = '';
  const until = performance.now() + LOAD_S * 1000;
  const started = performance.now();
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  await Promise.all(
    sessions.map(async (client) => {
      while (performance.now() < until) {
        const r = await timed(() => echo(client, tool)).catch((err: Error) => ((firstError ||= err.message), null));
        if (!r || r.result.isError) errors++;
        else ms.push(r.ms);
        if (r?.result.isError) firstError ||= JSON.stringify(r.result.content).slice(0, 160);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuMsPerCall = pid ? ((cpuSeconds(pid) - cpuBefore) * 1000) / Math.max(1, ms.length) : null;
  await Promise.all(sessions.map((c) => c.close()));
  return { ms, errors, firstError, perSecond: ms.length / seconds, cpuMsPerCall };
}

/** The forge runs as its own process (as deployed), so the client's work is not counted against the gateway. */
export async function run(): Promise<BenchRow[]> {
  await buildDist();
  const forge = await startForgeProcess(testConfig({ children: { port_range_start: FORGE_PORTS.start, port_range_end: FORGE_PORTS.end } }));
  const admin = await connect(forge.url);
  const create = async (args: Record<string, unknown>) => {
    const result = await call(admin, 'create_server', args);
    if (result?.status !== 'success') throw new Error(`create_server failed: ${JSON.stringify(result).slice(0, 300)}`);
    return result.server as { id: string; port: number };
  };
  const clients: Client[] = [];
  try {
    const server = await create({ name: 'bench-gw', capabilities: ['echo'] });
    const tool = 'bench-gw__echo';
    const direct = await connect(`http://127.0.0.1:${server.port}`);
    const gateway = await connect(`${forge.url}/gateway`);
    clients.push(direct, gateway);
    while (!(await gateway.listTools()).tools.some((t) => t.name === tool));
    const lat = await latency(direct, gateway, tool);
    const busy = await load(`${forge.url}/gateway`, tool, forge.pid);
    const busyDirect = await load(`http://127.0.0.1:${server.port}`, 'echo');

    await inBatches(Array.from({ length: CHILDREN - 1 }, (_, i) => () => create({ name: `bench-gw-${i}`, capabilities: ['echo'] })), 4);
    const expected = CHILDREN;
    const first = await timed(async () => {
      for (;;) if ((await gateway.listTools()).tools.length >= expected) return;
    });
    const listGateway: number[] = [];
    const listChild: number[] = [];
    for (let i = 0; i < 50; i++) {
      listGateway.push((await timed(() => gateway.listTools())).ms);
      listChild.push((await timed(() => direct.listTools())).ms);
    }
    const note = `${CALLS} sequential echo calls each way, alternating; baseline: straight to the child's /mcp; goal: median at most 1.15x`;
    return [
      row('echo call via /gateway/mcp, median', median(lat.viaGateway), median(lat.straight), 'ms', note),
      row('echo call via /gateway/mcp, p99', percentile(lat.viaGateway, 99), percentile(lat.straight, 99), 'ms'),
      row(`${SESSIONS} gateway sessions for ${LOAD_S} s, throughput`, busy.perSecond, busyDirect.perSecond, 'calls/s', `each session calls echo in a loop, one child; baseline: ${SESSIONS} sessions straight to the child`),
      row(`${SESSIONS} gateway sessions for ${LOAD_S} s, p99`, percentile(busy.ms, 99), percentile(busyDirect.ms, 99), 'ms'),
      row(`${SESSIONS} gateway sessions for ${LOAD_S} s, forge CPU per call`, busy.cpuMsPerCall!, null, 'ms', "the forge process's user+system CPU over the load divided by the calls answered: less sensitive to other load on the machine than calls/s"),
      row(`${SESSIONS} gateway sessions for ${LOAD_S} s, errors`, busy.errors, busyDirect.errors, 'count', `goal 0${busy.firstError ? `; first: ${busy.firstError}` : ''}`),
      row(`tools/list via the gateway, ${CHILDREN} children, median`, median(listGateway), median(listChild), 'ms', "baseline: one child's own tools/list"),
      row(`tools/list via the gateway, ${CHILDREN} children, first complete list`, first.ms, null, 'ms', 'from the last create_server answer to a list holding every child'),
    ];
  } finally {
    for (const c of clients) await c.close().catch(() => undefined);
    const left = (await call(admin, 'list_servers')).servers as Array<{ id: string }>;
    await inBatches(left.map((s) => () => call(admin, 'delete_server', { server_id: s.id })), 5);
    await admin.close();
    await forge.stop();
  }
}
