import { expect } from 'chai';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { builtinTemplatesDir } from '../../src/config/paths.js';
import { connect, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { pollUntil } from '../support/poll.js';
import { RUN_ID } from '../support/test-env.js';

const MiB = 1024 * 1024;

/** A test-only capability: allocate memory until told to stop, or crash now and on every start. */
const STRESS_MANIFEST = {
  name: 'stress',
  kind: 'capability',
  version: '1.0.0',
  description: 'Test only: drives the child into failures.',
  tools: [
    {
      name: 'allocate',
      description: 'Allocate and hold memory.',
      inputSchema: { type: 'object', properties: { megabytes: { type: 'integer', minimum: 1 } }, required: ['megabytes'] },
    },
    { name: 'crash_forever', description: 'Exit with code 3, now and on every start.', inputSchema: { type: 'object', properties: {} } },
  ],
};
const STRESS_HANDLERS = `// Test-only capability "stress" (written by the forge's failure tests).
import { existsSync, writeFileSync } from 'node:fs';
// On the data volume: the root filesystem is read-only and /tmp is a tmpfs that restarts empty.
const MARK = '/data/stress-crash-on-start';
if (existsSync(MARK)) {
  console.error('stress: crashing on start as asked');
  process.exit(3);
}
const held = [];
export async function allocate({ megabytes }) {
  console.error('stress: allocating ' + megabytes + ' MB');
  for (let i = 0; i < megabytes; i++) held.push(Buffer.alloc(1024 * 1024, 1));
  return { content: [{ type: 'text', text: 'holding ' + held.length + ' MB' }] };
}
export async function crash_forever() {
  writeFileSync(MARK, 'crash');
  console.error('stress: crashing now and on every start');
  setTimeout(() => process.exit(3), 50);
  return { content: [{ type: 'text', text: 'crashing' }] };
}
`;

describe('failures the monitor reports: OOM kills, unexpected exits, crash loops', function () {
  let h: ForgeHandle;
  let templatesDir: string;

  before(async function () {
    templatesDir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-test-templates-'));
    await cp(builtinTemplatesDir, templatesDir, { recursive: true });
    const stress = path.join(templatesDir, 'capabilities', 'stress');
    await mkdir(stress);
    await writeFile(path.join(stress, 'capability.json'), JSON.stringify(STRESS_MANIFEST, null, 2));
    await writeFile(path.join(stress, 'handlers.js.njk'), STRESS_HANDLERS);
    h = await startForge({
      templates: { dir: templatesDir },
      monitor: { crash_loop_restarts: 3, crash_loop_window_s: 120, alert_cooldown_s: 60, alert_threshold_percent: 75, history_interval_s: 1, connections_interval_s: 1 },
    });
  });
  after(async () => {
    await h?.stop();
    if (templatesDir) await rm(templatesDir, { recursive: true, force: true });
  });

  const create = async (suffix: string, options: Record<string, unknown> = {}) => {
    const created = await h.call('create_server', { name: `${suffix}-${RUN_ID.slice(-8)}`, capabilities: ['echo', 'stress'], options });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    return created.server;
  };
  const alertsOf = (serverId: string, kind: string) => h.call('get_alerts', { server_id: serverId, kind });

  it('a child driven past its memory limit is OOM-killed, and the forge reports it with a diagnosis', async () => {
    const server = await create('oom');
    expect((await h.call('set_resource_limit', { server_id: server.id, limit_name: 'memory_bytes', limit_value: 96 * MiB })).status).to.equal('success');
    const child = await connect(`http://127.0.0.1:${server.port}`);
    // The child dies mid-call: the call fails with it.
    await child.callTool({ name: 'allocate', arguments: { megabytes: 400 } }).then(
      (r) => expect.fail(`allocate survived: ${JSON.stringify(r)}`),
      () => undefined,
    );
    await child.close().catch(() => undefined);

    const found = await pollUntil(() => alertsOf(server.id, 'oom_killed'), (r) => r.count > 0, 'an oom_killed alert');
    const alert = found.alerts[0];
    expect(alert).to.include({ server_id: server.id, server_name: server.name, kind: 'oom_killed', severity: 'critical' });
    expect(alert.message).to.contain('exceeding its memory limit');
    expect(alert.diagnosis).to.include({ exit_code: 137, oom_killed: true });
    expect(alert.diagnosis.last_stderr.join('\n')).to.contain('stress: allocating 400 MB');
    // Not an unexpected exit besides: the OOM kill is the diagnosis.
    expect((await alertsOf(server.id, 'unexpected_exit')).count).to.equal(0);

    // Docker restarts it (unless-stopped); server info shows the alert.
    const info = await pollUntil(
      async () => JSON.parse(((await h.client.readResource({ uri: `servers://${server.id}/info` })).contents[0] as { text: string }).text),
      (i) => i.status === 'running',
      'the child running again',
    );
    expect(info.alerts.map((a: any) => a.kind)).to.include('oom_killed');
    expect(info.restart_count).to.be.at.least(1);
  });

  it('usage near a limit raises limit_exceeded once', async () => {
    const server = await create('near');
    expect((await h.call('set_resource_limit', { server_id: server.id, limit_name: 'memory_bytes', limit_value: 200 * MiB })).status).to.equal('success');
    const child = await connect(`http://127.0.0.1:${server.port}`);
    const used = (await h.call('get_server_process_stats', { server_id: server.id })).process.memory_bytes;
    // Up to about 85 % of the limit: past the 75 % alert threshold, well short of the OOM killer.
    const megabytes = Math.floor((200 * MiB * 0.85 - used) / MiB);
    await child.callTool({ name: 'allocate', arguments: { megabytes } });
    // Memory alerts only: filling the memory is CPU work too, and may cross the CPU threshold on its own.
    const memoryAlerts = async () => ((await alertsOf(server.id, 'limit_exceeded')).alerts as any[]).filter((a) => a.limit?.name === 'memory_bytes');
    const found = await pollUntil(memoryAlerts, (alerts) => alerts.length > 0, 'a memory limit_exceeded alert');
    expect(found[0]).to.include({ kind: 'limit_exceeded', severity: 'warning' });
    expect(found[0].limit).to.include({ name: 'memory_bytes', value: 200 * MiB });
    expect(found[0].limit.observed).to.be.at.least(200 * MiB * 0.75);
    const resources = JSON.parse(((await h.client.readResource({ uri: `servers://${server.id}/resources` })).contents[0] as { text: string }).text);
    expect(resources.utilization_percent.memory_bytes).to.be.at.least(75);
    expect(resources.alerts.filter((a: any) => a.limit?.name === 'memory_bytes')).to.have.length(1);
    await child.close();
    // Still over: no second alert for the same crossing.
    const history = await pollUntil(() => h.call('get_server_process_history', { server_id: server.id, metric: 'memory', points: 3 }), (r) => r.history.length === 3, 'more readings');
    expect(history.history.at(-1).value).to.be.at.least(200 * MiB * 0.75);
    expect(await memoryAlerts()).to.have.length(1);
  });

  it('more MCP sessions than the connections limit raise limit_exceeded (a limit Docker cannot enforce)', async () => {
    const server = await create('conn');
    expect((await h.call('set_resource_limit', { server_id: server.id, limit_name: 'connections', limit_value: 1 })).status).to.equal('success');
    const clients = [await connect(`http://127.0.0.1:${server.port}`), await connect(`http://127.0.0.1:${server.port}`)];
    try {
      const found = await pollUntil(() => alertsOf(server.id, 'limit_exceeded'), (r) => r.count > 0, 'a connections alert');
      expect(found.alerts[0].limit).to.deep.equal({ name: 'connections', value: 1, observed: 2 });
    } finally {
      for (const c of clients) await c.close();
    }
  });

  it('a crash-looping child is reported as crash-looping, not as running, with the exit diagnosis', async () => {
    const server = await create('loop', { persistence: 'sqlite' });
    const child = await connect(`http://127.0.0.1:${server.port}`);
    await child.callTool({ name: 'crash_forever', arguments: {} }).catch(() => undefined);
    await child.close().catch(() => undefined);

    const loop = await pollUntil(() => alertsOf(server.id, 'crash_loop'), (r) => r.count > 0, 'a crash_loop alert');
    expect(loop.alerts[0]).to.include({ kind: 'crash_loop', severity: 'critical' });
    expect(loop.alerts[0].message).to.match(/crash-looping: crash loop: [3-9]\d* restarts in the last 120 s; last exit code 3/);
    expect(loop.alerts[0].diagnosis).to.include({ exit_code: 3, oom_killed: false });
    expect(loop.alerts[0].diagnosis.last_stderr.join('\n')).to.contain('stress: crashing');

    const exits = await alertsOf(server.id, 'unexpected_exit');
    expect(exits.count).to.equal(1); // one per cooldown, however often it dies
    expect(exits.alerts[0].diagnosis.exit_code).to.equal(3);

    const listed = (await h.call('list_servers')).servers.find((s: any) => s.id === server.id);
    expect(listed.status).to.equal('error');
    const info = JSON.parse(((await h.client.readResource({ uri: `servers://${server.id}/info` })).contents[0] as { text: string }).text);
    expect(info.status).to.equal('error');
    expect(info.error).to.match(/^crash loop: \d+ restarts/);
    expect(info.alerts.map((a: any) => a.kind)).to.include.members(['crash_loop', 'unexpected_exit']);
  });
});
