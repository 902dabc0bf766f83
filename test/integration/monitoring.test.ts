import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { startForge, startForgeWith, type ForgeHandle } from '../support/forge-fixture.js';
import { connectChild } from '../support/child-client.js';
import { docker } from '../support/docker-leaks.js';
import { pollUntil } from '../support/poll.js';
import { RUN_ID, runtimeKind } from '../support/test-env.js';
import { childContainerId } from '../support/child-container.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const HISTORY_POINTS = 4;
/** Docker keeps a stopped container and its log; Swarm's scale to 0 removes the task's container. */
const keepsLogsAcrossStop = runtimeKind() === 'docker';
// Container names are global on the daemon: unique per run, as parallel checkouts share it.
const NAME = `mon-${RUN_ID.slice(-8)}`;

describe('monitoring against real containers', function () {
  let h: ForgeHandle;
  let server: any;
  let created: any;

  before(async function () {
    h = await startForge({ monitor: { history_interval_s: 1, history_retention_s: HISTORY_POINTS } });
    created = await h.call('create_server', { name: NAME, description: 'Monitoring test server' });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    server = created.server;
  });
  after(async () => h?.stop());

  let hostMemory = 0;
  before(async () => {
    hostMemory = (await docker.info()).MemTotal;
  });
  const history = (metric = 'all', points = 100) => h.call('get_server_process_history', { server_id: server.id, metric, points });

  it('get_server_process_stats reports what Docker reports for the container', async () => {
    // The stream starts with the container: its first reading may predate node itself (docker-init alone).
    const result = await pollUntil(
      () => h.call('get_server_process_stats', { server_id: server.id }),
      (r) => r.process?.threads >= 2 && r.process.memory_rss > 1024 * 1024,
      'a reading of the running child',
    );
    expect(result).to.include({ status: 'success', server_id: server.id });
    const p = result.process;
    const container = docker.getContainer(await childContainerId(server.container_id));
    const info = await container.inspect();
    const stats = await container.stats({ stream: false });
    // Children run with init: State.Pid is docker-init (pid 1 inside); the MCP server is its node child.
    const top = await container.top({ ps_args: '-o pid,ppid,comm' });
    const node = (top.Processes as string[][]).find(([, ppid, comm]) => Number(ppid) === info.State.Pid && comm === 'node');
    expect(node, JSON.stringify(top)).to.not.equal(undefined);
    expect(p.pid).to.equal(Number(node![0])).and.to.not.equal(info.State.Pid);
    expect(readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0')).to.include('/app/server.js');
    expect(p.status).to.equal('running');
    expect(p.uptime).to.be.above(0).and.below(600);
    expect(p.cpu_percent).to.be.at.least(0).and.at.most(100 * stats.cpu_stats.online_cpus);
    expect(p.memory_limit).to.equal(stats.memory_stats.limit);
    expect(p.memory_bytes).to.be.above(1024 * 1024).and.below(p.memory_limit);
    expect(p.memory_rss).to.be.above(1024 * 1024).and.at.most(p.memory_bytes);
    // memory_percent is of the host's memory everywhere (as the memory_percent limit is), not of memory_limit.
    expect(p.memory_percent).to.be.closeTo((p.memory_bytes / hostMemory) * 100, 0.001);
    expect(p.threads).to.be.at.least(2); // docker-init and node
    expect(p.io_read_bytes).to.be.at.least(0);
    expect(p.io_write_bytes).to.be.at.least(0);
    expect(Date.now() - Date.parse(p.sampled_at)).to.be.below(10_000);
  });

  it('connections counts the MCP sessions open on the child', async () => {
    const connections = async () => (await h.call('get_server_process_stats', { server_id: server.id })).process.connections;
    expect(await connections()).to.equal(0);
    const child = await connectChild(created);
    expect(await connections()).to.equal(1);
    await (child.transport as StreamableHTTPClientTransport).terminateSession();
    await child.close();
    expect(await connections()).to.equal(0);
  });

  it('history grows one point per interval and stays bounded by the retention', async () => {
    await pollUntil(() => history(), (r) => r.history.length === HISTORY_POINTS, `${HISTORY_POINTS} history points`);
    const full = await history();
    const newest = full.history.at(-1).timestamp;
    const later = await pollUntil(() => history(), (r) => r.history.at(-1).timestamp > newest + 1, 'newer history points');
    expect(later.history).to.have.length(HISTORY_POINTS);
    const stamps = later.history.map((p: any) => p.timestamp);
    expect(stamps).to.deep.equal([...stamps].sort((a, b) => a - b));
    expect(stamps[0]).to.be.above(full.history[0].timestamp);
    expect(later.history[0]).to.have.keys('timestamp', 'cpu_percent', 'memory_bytes', 'memory_percent', 'io_read_bytes', 'io_write_bytes');

    const cpu = await history('cpu', 2);
    expect(cpu).to.include({ status: 'success', metric: 'cpu', interval_s: 1 });
    expect(cpu.history).to.have.length(2);
    expect(cpu.history[0]).to.have.keys('timestamp', 'value');
    const memory = (await history('memory', 1)).history[0];
    expect(memory.value).to.be.above(1024 * 1024);
    expect(memory.percent).to.be.closeTo((memory.value / hostMemory) * 100, 0.001);
    expect((await history('io', 1)).history[0]).to.have.keys('timestamp', 'value', 'read_bytes', 'write_bytes');
  });

  it('get_server_logs shows what the child printed on each stream, apart', async () => {
    const child = await connectChild(created);
    const failed = await child.callTool({ name: 'time', arguments: { timezone: 'Mars/Olympus_Mons' } });
    expect(failed.isError).to.equal(true);
    await child.close();
    const stderr = await pollUntil(
      () => h.call('get_server_logs', { server_id: server.id, log_type: 'stderr' }),
      (r) => r.logs.stderr?.some((l: string) => l.includes('tool failed')),
      'the failure on stderr',
    );
    expect(stderr).to.include({ status: 'success', server_id: server.id, log_type: 'stderr' });
    expect(stderr.logs).to.have.keys('stderr');
    expect(stderr.logs.stderr.join('\n')).to.contain('Mars/Olympus_Mons').and.not.contain('listening');

    const stdout = await h.call('get_server_logs', { server_id: NAME, log_type: 'stdout', max_lines: 500 });
    expect(stdout.logs).to.have.keys('stdout');
    expect(stdout.logs.stdout.join('\n')).to.contain('"msg":"listening"').and.not.contain('tool failed');

    const all = await h.call('get_server_logs', { server_id: server.id });
    expect(all.logs).to.have.keys('stdout', 'stderr');
    expect(all.logs.stderr.join('\n')).to.contain('tool failed');
    expect(all.logs.stdout.join('\n')).to.not.contain('tool failed');
    expect((await h.call('get_server_logs', { server_id: server.id, max_lines: 1 })).logs.stdout).to.have.length(1);
    const bad = await h.call('get_server_logs', { server_id: server.id, log_type: 'both' });
    expect(bad.error.code).to.equal('invalid_request');
  });

  it('get_system_stats reports the host and the server counts', async () => {
    const { status, system } = await h.call('get_system_stats');
    expect(status).to.equal('success');
    expect(system).to.include({ server_count: 1, server_count_active: 1 });
    expect(system.cpu_percent).to.be.at.least(0).and.at.most(100);
    expect(system.memory_total).to.be.above(system.memory_available);
    expect(system.memory_percent).to.be.above(0).and.below(100);
    expect(system.disk_total).to.be.above(system.disk_free);
    expect(system.disk_percent).to.be.above(0).and.at.most(100);
    expect(system.network_sent_bytes + system.network_recv_bytes).to.be.at.least(0);
  });

  it('serves the monitoring resources and templates', async () => {
    const read = async (uri: string) => JSON.parse(((await h.client.readResource({ uri })).contents[0] as { text: string }).text);
    const templates = (await h.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates).to.include.members(['servers://{server_id}/info', 'servers://{server_id}/process', 'servers://{server_id}/resources']);
    const listed = (await h.client.listResources()).resources.map((r) => r.uri);
    expect(listed).to.include.members(['servers://list', 'system://stats', 'system://resources', 'system://alerts', `servers://${server.id}/process`]);

    const process = await read(`servers://${server.id}/process`);
    expect(process).to.include({ server_id: server.id, running: true });
    expect(process.process.pid).to.be.above(0);
    const resources = await read(`servers://${server.id}/resources`);
    expect(resources.limits).to.deep.equal({ cpu_percent: h.config.resources.default_cpu_limit, memory_bytes: h.config.resources.default_memory_limit, memory_percent: null, io_read_bytes: null, io_write_bytes: null, connections: null });
    expect(resources.enforced_by_docker).to.deep.equal(['cpu_percent', 'memory_bytes', 'memory_percent']);
    expect(resources.usage.memory_bytes).to.be.above(0);
    expect(resources.usage.memory_percent).to.be.closeTo((resources.usage.memory_bytes / hostMemory) * 100, 0.001);
    // A memory_percent limit (of the host) compares with usage.memory_percent directly.
    expect((await h.call('set_resource_limit', { server_id: server.id, limit_name: 'memory_percent', limit_value: 50 })).status).to.equal('success');
    const limited = await read(`servers://${server.id}/resources`);
    expect(limited.utilization_percent.memory_percent).to.be.closeTo((limited.usage.memory_percent / 50) * 100, 0.01);
    expect((await h.call('set_resource_limit', { server_id: server.id, limit_name: 'memory_percent', limit_value: null })).status).to.equal('success');
    expect((await read('system://stats')).server_count).to.equal(1);
    const system = await read('system://resources');
    expect(system.host.cpus).to.be.at.least(1);
    expect(system.children.count).to.equal(1);
    expect(system.children.used_memory_bytes).to.be.above(0);
    expect(await read('system://alerts')).to.deep.equal({ monitoring: true, alerts: [] });
  });

  it('serves Prometheus metrics: per-server figures, request and tool-call counts', async () => {
    const res = await fetch(`${h.forge.url}/metrics`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.contain('text/plain');
    const text = await res.text();
    const labels = `server_id="${server.id}",server_name="${NAME}"`;
    expect(text).to.match(new RegExp(`mcp_forge_server_cpu_percent\\{${labels}\\} [0-9.]+`));
    expect(text).to.match(new RegExp(`mcp_forge_server_memory_bytes\\{${labels}\\} [1-9][0-9]*`));
    expect(text).to.contain(`mcp_forge_server_restarts{${labels}} 0`);
    expect(text).to.contain(`mcp_forge_server_status{${labels},status="running"} 1`);
    expect(text).to.contain(`mcp_forge_server_status{${labels},status="stopped"} 0`);
    expect(text).to.match(/mcp_forge_tool_calls_total\{tool="create_server",outcome="success"\} 1/);
    expect(text).to.match(/mcp_forge_tool_call_duration_seconds_count\{tool="get_server_logs"\} \d+/);
    expect(text).to.match(/mcp_forge_http_requests_total\{method="POST",route="\/mcp",status="200"\} \d+/);
    expect(text).to.match(/mcp_forge_process_resident_memory_bytes [1-9]/);
    // fetch() drops a custom Host header; node:http sends it.
    const refused = await new Promise<number>((resolve, reject) => {
      http.get(`${h.forge.url}/metrics`, { headers: { host: 'evil.example' } }, (r) => resolve(r.statusCode!)).on('error', reject);
    });
    expect(refused).to.equal(403);
  });

  it('a deliberate stop and start raise no alert, and streaming resumes after the start', async () => {
    expect((await h.call('stop_server', { server_id: server.id })).status).to.equal('success');
    const stopped = await h.call('get_server_process_stats', { server_id: server.id });
    expect(stopped.error.code).to.equal('server_not_running');
    expect((await h.call('start_server', { server_id: server.id })).status).to.equal('success');
    const before = (await history('cpu', 1)).history.at(-1).timestamp;
    await pollUntil(() => history('cpu', 1), (r) => r.history.at(-1).timestamp > before, 'history after the restart');
    expect((await h.call('get_alerts', { server_id: server.id })).alerts).to.deep.equal([]);
  });

  it('re-attaches to running children after a forge restart', async () => {
    await h.stop({ keepServers: true });
    h = await startForgeWith(h.config);
    const points = await pollUntil(() => history('cpu', 100), (r) => r.history.length >= 2, 'history from the new forge');
    expect(points.history.length).to.be.at.most(HISTORY_POINTS);
    const stats = await h.call('get_server_process_stats', { server_id: server.id });
    expect(Date.now() - Date.parse(stats.process.sampled_at)).to.be.below(5_000);
    if (keepsLogsAcrossStop) {
      const logs = await h.call('get_server_logs', { server_id: server.id, log_type: 'stderr' });
      expect(logs.logs.stderr.join('\n')).to.contain('tool failed'); // Docker kept them
    } else {
      // Swarm: the stop above scaled the service to 0, which removes the task and its container
      // with its log (docs/runtime-swarm.md); the service logs hold the new task's from its start.
      const logs = await h.call('get_server_logs', { server_id: server.id, log_type: 'stdout', max_lines: 500 });
      expect(logs.logs.stdout.join('\n')).to.contain('"msg":"listening"');
    }
  });
});
