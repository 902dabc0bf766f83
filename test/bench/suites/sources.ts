import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { NpmSource } from '../../../src/registry/server-record.js';
import { connect } from '../../support/forge-fixture.js';
import { until } from '../../support/poll.js';
import { RUN_ID, TEST_LABEL } from '../../support/test-env.js';
import { row, type BenchRow } from '../support/bench-row.js';
import { benchForge } from '../support/bench-forge.js';
import { rawRunUntilMcp, removeContainers } from '../support/raw-docker.js';
import { containerTreeRssMiB } from '../support/rss.js';
import { median, percentile, timed } from '../support/stats.js';

export const title = 'bring-your-own npm servers: create_server of a cached package, a tool call through the stdio bridge, idle RSS';

/** Version verified with `npm view @modelcontextprotocol/server-memory versions`. */
const MEMORY = '@modelcontextprotocol/server-memory@2026.8.31';
const CREATE_RUNS = 8;
const CALL_RUNS = 200;
const exec = promisify(execFile);

/** One side of a call comparison: a client and the tool it calls. */
interface Caller {
  client: Client;
  tool: string;
  args: Record<string, unknown>;
}

/** Calls each side `n` times, in alternating blocks of 10; milliseconds per call. */
async function callTimes(a: Caller, b: Caller, n: number): Promise<[number[], number[]]> {
  const times: [number[], number[]] = [[], []];
  const call = async ({ client, tool, args }: Caller, into: number[]) => {
    const { ms, result } = await timed(() => client.callTool({ name: tool, arguments: args }));
    if (result.isError) throw new Error(`${tool} failed: ${JSON.stringify(result)}`);
    into.push(ms);
  };
  for (let i = 0; i < n; i += 10) {
    const order = (i / 10) % 2 === 0 ? ([[a, times[0]], [b, times[1]]] as const) : ([[b, times[1]], [a, times[0]]] as const);
    for (const [side, into] of order) for (let k = 0; k < 10; k++) await call(side, into);
  }
  return times;
}

/**
 * server-memory from npm (installed and built once, unmeasured). create_server of the cached
 * package until it returns (MCP-ready) against a raw `docker run -d` of the same image until it
 * answers MCP initialize, alternating. A tool call (read_graph) through the bridge over
 * Streamable HTTP against the same call to the same package run on the host as `node <bin>`
 * over stdio (the SDK's StdioClientTransport), and for reference against a forged child's echo
 * over the same Streamable HTTP (what the transport costs without a bridge). Idle RSS of the bridged child (all its processes)
 * against the same image running the server bare (`node <bin>`, stdin kept open by `docker run -i`).
 */
export async function run(): Promise<BenchRow[]> {
  const forge = await benchForge({ children: { ready_timeout_s: 60 } });
  const forgeMs: number[] = [];
  const rawMs: number[] = [];
  const containers: string[] = [];
  const clients: Client[] = [];
  const memoryDir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-bench-memory-'));
  try {
    const env = { MEMORY_FILE_PATH: '/tmp/memory.jsonl' };
    const first = await forge.create({ name: 'bench-src', source: { npm: MEMORY, env } });
    for (let i = 0; i < CREATE_RUNS; i++) {
      const viaForge = async () => {
        const { ms, result: server } = await timed(() => forge.create({ name: `bench-src-${i}`, source: { npm: MEMORY, env } }));
        forgeMs.push(ms);
        await forge.call('delete_server', { server_id: server.id });
      };
      const raw = async () => {
        const { ms, id } = await rawRunUntilMcp(first.image, `bench-src-raw-${i}`);
        rawMs.push(ms);
        await removeContainers([id]);
      };
      for (const step of i % 2 === 0 ? [viaForge, raw] : [raw, viaForge]) await step();
    }

    const record = forge.forge.registry.get(first.id)!;
    const source = record.source as NpmSource;
    const bin = path.join(forge.config.storage.data_dir, 'npm-cache', source.cache_key, 'node_modules', source.package, source.bin);
    const bridged = await connect(`http://127.0.0.1:${first.port}`);
    clients.push(bridged);
    const direct = new Client({ name: 'bench-direct', version: '1.0.0' });
    await direct.connect(new StdioClientTransport({ command: process.execPath, args: [bin], env: { MEMORY_FILE_PATH: path.join(memoryDir, 'memory.jsonl') }, stderr: 'ignore' }));
    clients.push(direct);
    const made = { entities: [{ name: 'bench', entityType: 'thing', observations: ['one observation'] }] };
    for (const client of [bridged, direct]) await client.callTool({ name: 'create_entities', arguments: made });
    const readGraph = { tool: 'read_graph', args: {} };
    const [viaBridge, viaStdio] = await callTimes({ client: bridged, ...readGraph }, { client: direct, ...readGraph }, CALL_RUNS);
    // Reference: what Streamable HTTP to a child costs without a bridge (a forged child's echo).
    const forged = await forge.create({ name: 'bench-src-forged', capabilities: ['echo'] });
    const forgedClient = await connect(`http://127.0.0.1:${forged.port}`);
    clients.push(forgedClient);
    const [viaBridge2, viaForged] = await callTimes({ client: bridged, ...readGraph }, { client: forgedClient, tool: 'echo', args: { message: 'x' } }, CALL_RUNS);

    // The bare server: the same image and package, no bridge; `-i` keeps its stdin open so it stays up.
    const label = `${TEST_LABEL}=${RUN_ID}`;
    const bareBin = path.posix.join('/app/node_modules', source.package, source.bin);
    const bare = (await exec('docker', ['run', '-d', '-i', '--label', label, '--init', '-e', 'MEMORY_FILE_PATH=/tmp/memory.jsonl', '--entrypoint', 'node', first.image, bareBin])).stdout.trim();
    containers.push(bare);
    await until('the bare server to run', async () => ((await containerTreeRssMiB(bare)).byCommand.some((p) => p.comm === 'node') ? true : undefined));
    await bridged.close();
    clients.splice(clients.indexOf(bridged), 1);
    await delay(2000);
    const child = await containerTreeRssMiB(first.container_id);
    const alone = await containerTreeRssMiB(bare);
    // In tree order: the bridge (source-main.js), then the server it spawned.
    const [bridgeNode, serverNode] = child.byCommand.filter((p) => p.comm === 'node');
    if (!bridgeNode || !serverNode) throw new Error(`expected the bridge and its server in the child: ${JSON.stringify(child.byCommand)}`);
    return [
      row('create_server of a cached npm package → MCP ready, median', median(forgeMs), median(rawMs), 'ms', `n=${CREATE_RUNS}; baseline: raw docker run -d of the same image → MCP initialize (no hardening, limits or network)`),
      row('create_server of a cached npm package → MCP ready, p90', percentile(forgeMs, 90), percentile(rawMs, 90), 'ms', `n=${CREATE_RUNS}`),
      row('tool call through the stdio bridge (read_graph), median', median(viaBridge), median(viaStdio), 'ms', `n=${CALL_RUNS}; baseline: the same package as node <bin> on the host over stdio (SDK StdioClientTransport)`),
      row('tool call through the stdio bridge (read_graph), p90', percentile(viaBridge, 90), percentile(viaStdio, 90), 'ms', `n=${CALL_RUNS}`),
      row('tool call through the stdio bridge, vs a forged child over the same HTTP', median(viaBridge2), median(viaForged), 'ms', `n=${CALL_RUNS}; reference: echo on a forged child (Streamable HTTP, no bridge, no subprocess), alternating with the bridged read_graph`),
      row('idle RSS of a bridged npm child (all processes)', child.total, alone.total, 'MiB', `bridge + server + docker-init; baseline: the same image running node <bin> bare (stdin open); ${child.byCommand.map((p) => `${p.comm} ${p.mib.toFixed(1)}`).join(', ')}`),
      row('idle RSS of the bridge process alone', bridgeNode.mib, serverNode.mib, 'MiB', 'the bridge (source-main.js) against the server subprocess it runs, in the same child'),
    ];
  } finally {
    for (const c of clients) await c.close().catch(() => undefined);
    await removeContainers(containers).catch(() => undefined);
    await forge.deleteAll();
    await forge.stop();
    await rm(memoryDir, { recursive: true, force: true });
  }
}
