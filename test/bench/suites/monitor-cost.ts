/**
 * Monitor cost: the forge's own CPU (share of one core) and RSS with 20 and with 50 running
 * children, monitoring on, each next to the same forge with monitoring off, in the same run.
 * The forge runs as a subprocess (`npm start`'s entry) so /proc measures it alone; every
 * measurement is a fresh forge on the same registry, settled, then observed over a window.
 * Standalone: `node --import tsx test/bench/suites/monitor-cost.ts`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Dockerode from 'dockerode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import type { BenchRow as Row } from '../support/bench-row.js';
import { cpuSeconds } from '../support/cpu-seconds.js';

export const title = 'Monitor cost';


const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const COUNTS = (process.env.MONITOR_BENCH_COUNTS ?? '20,50').split(',').map(Number);
const SETTLE_MS = Number(process.env.MONITOR_BENCH_SETTLE_S ?? 20) * 1000;
/** Each mode is measured this often per child count, in alternating order (off/on, on/off, …); means are reported. */
const REPEATS = Number(process.env.MONITOR_BENCH_REPEATS ?? 2);
const WINDOW_MS = Number(process.env.MONITOR_BENCH_WINDOW_S ?? 30) * 1000;
const MB = 1024 * 1024;

const rssBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

/** Mean CPU (% of one core) and RSS (MB) of `pid` over the window; dockerd's CPU over the same window. */
async function observe(pid: number, dockerd: number | null) {
  const start = { at: performance.now(), cpu: cpuSeconds(pid), dockerd: dockerd ? cpuSeconds(dockerd) : 0 };
  const rss: number[] = [];
  while (performance.now() - start.at < WINDOW_MS) {
    rss.push(rssBytes(pid));
    await delay(1000);
  }
  const seconds = (performance.now() - start.at) / 1000;
  return {
    cpu: ((cpuSeconds(pid) - start.cpu) / seconds) * 100,
    rss: rss.reduce((a, b) => a + b, 0) / rss.length / MB,
    dockerd: dockerd ? ((cpuSeconds(dockerd) - start.dockerd) / seconds) * 100 : 0,
  };
}

/** One forge subprocess on the bench's data directory; resolves once it listens. */
async function startForge(env: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/forge.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    let pending = '';
    const timer = setTimeout(() => reject(new Error(`forge did not start: ${stderr}`)), 180_000);
    proc.once('exit', (code) => reject(new Error(`forge exited with ${code}: ${stderr}`)));
    proc.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.includes('"MCP-Forge listening"')) {
          clearTimeout(timer);
          resolve(JSON.parse(line).url);
        }
      }
      if (pending.length > 1e6) pending = '';
    });
  });
  return { proc, url };
}

async function stopForge(proc: ChildProcess) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  if ((await Promise.race([exited, delay(15_000, 'timeout', { ref: false })])) === 'timeout') proc.kill('SIGKILL');
}

async function mcp(url: string): Promise<Client> {
  const client = new Client({ name: 'mcp-forge-bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  return client;
}

/** Polls until the monitor streams every child (one CPU series per child on /metrics). */
async function monitorAttached(url: string, children: number) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const text = await fetch(`${url}/metrics`).then((r) => r.text(), () => '');
    if ((text.match(/^mcp_forge_server_cpu_percent\{/gm) ?? []).length >= children) return;
    await delay(500);
  }
  throw new Error(`the monitor did not attach to ${children} children within 120 s`);
}

const dockerdPid = (): number | null => {
  try {
    return Number(execFileSync('pidof', ['dockerd']).toString().trim().split(' ')[0]) || null;
  } catch {
    return null;
  }
};

const pair = (figure: string, on: number, off: number, unit: string, digits: number): Row => ({
  figure,
  value: Number(on.toFixed(digits)),
  baseline: Number(off.toFixed(digits)),
  unit,
  ratio: off > 0 ? Number((on / off).toFixed(2)) : null,
  note: `${on - off >= 0 ? '+' : ''}${(on - off).toFixed(digits)} ${unit} with monitoring`,
});

export async function run(): Promise<Row[]> {
  const runId = `b${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const label = `io.mcp-forge.bench=${runId}`;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-bench-monitor-'));
  const dataDir = path.join(workDir, 'data');
  const repository = `mcp-forge-bench/${runId}`;
  // Its own child image repository: the images it builds are its own to remove.
  writeFileSync(path.join(workDir, 'config.json'), JSON.stringify({ images: { child_repository: repository } }));
  const env = (monitor: boolean): NodeJS.ProcessEnv => ({
    ...process.env,
    FORGE_PORT: '0',
    FORGE_LOG_LEVEL: 'info',
    FORGE_DATA_DIR: dataDir,
    FORGE_INSTANCE_ID: `bench-${runId}`,
    FORGE_PORT_RANGE_START: process.env.MONITOR_BENCH_PORT_START ?? '13000',
    FORGE_PORT_RANGE_END: process.env.MONITOR_BENCH_PORT_END ?? '13499',
    FORGE_EXTRA_LABELS: label,
    FORGE_MONITOR_ENABLED: String(monitor),
    FORGE_CONFIG: path.join(workDir, 'config.json'),
  });
  const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
  const dockerd = dockerdPid();
  const rows: Row[] = [];
  let forge: Awaited<ReturnType<typeof startForge>> | null = null;
  try {
    let created = 0;
    for (const count of COUNTS) {
      forge = await startForge(env(false));
      const client = await mcp(forge.url);
      for (; created < count; created++) {
        const result = (await client.callTool({ name: 'create_server', arguments: { name: `bench-${created}-${runId}` } })).structuredContent as any;
        if (result?.status !== 'success') throw new Error(`create_server failed: ${JSON.stringify(result)}`);
      }
      await client.close();
      await stopForge(forge.proc);
      const runs: Record<'on' | 'off', Array<Awaited<ReturnType<typeof observe>>>> = { on: [], off: [] };
      for (let r = 0; r < REPEATS; r++) {
        for (const mode of r % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
          forge = await startForge(env(mode === 'on'));
          if (mode === 'on') await monitorAttached(forge.url, count);
          await delay(SETTLE_MS);
          runs[mode].push(await observe(forge.proc.pid!, dockerd));
          await stopForge(forge.proc);
          forge = null;
        }
      }
      const mean = (mode: 'on' | 'off', key: 'cpu' | 'rss' | 'dockerd') => runs[mode].reduce((a, m) => a + m[key], 0) / runs[mode].length;
      const spread = (key: 'cpu' | 'rss', digits: number) =>
        `; runs on: ${runs.on.map((m) => m[key].toFixed(digits)).join(', ')}, off: ${runs.off.map((m) => m[key].toFixed(digits)).join(', ')}`;
      const measured = Object.fromEntries((['on', 'off'] as const).map((m) => [m, { cpu: mean(m, 'cpu'), rss: mean(m, 'rss'), dockerd: mean(m, 'dockerd') }])) as Record<'on' | 'off', { cpu: number; rss: number; dockerd: number }>;
      const cpuRow = pair(`forge CPU, ${count} children`, measured.on.cpu, measured.off.cpu, '% of one core', 2);
      const rssRow = pair(`forge RSS, ${count} children`, measured.on.rss, measured.off.rss, 'MB', 1);
      rows.push({ ...cpuRow, note: cpuRow.note + spread('cpu', 2) }, { ...rssRow, note: rssRow.note + spread('rss', 1) });
      if (dockerd) rows.push({ ...pair(`dockerd CPU, ${count} children`, measured.on.dockerd, measured.off.dockerd, '% of one core', 2), note: 'shared daemon: other work on it adds noise; not the forge\'s own cost' });
    }
    return rows;
  } finally {
    if (forge) await stopForge(forge.proc);
    for (const c of await docker.listContainers({ all: true, filters: { label: [label] } })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    for (const i of await docker.listImages({ filters: { reference: [`${repository}:*`] } })) await docker.getImage(i.Id).remove({ force: true }).catch(() => undefined);
    for (const n of await docker.listNetworks({ filters: { label: [label] } })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const rows = await run();
  console.log(`# ${title}`);
  console.table(rows);
}
