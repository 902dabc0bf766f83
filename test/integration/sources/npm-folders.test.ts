import { chmod, mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { docker } from '../../support/docker-leaks.js';
import { pollUntil } from '../../support/poll.js';

/** Version verified with `npm view @modelcontextprotocol/server-filesystem versions`. */
const FILESYSTEM = '@modelcontextprotocol/server-filesystem@2026.8.31';
const texts = (result: any) => (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

describe('bring-your-own npm servers with host folders, and a crash-looping npm child', function () {
  this.timeout(240_000);
  let forge: ForgeHandle;
  let allowed: string;
  let outside: string;
  let shared: string;
  const clients: Client[] = [];

  const create = async (args: Record<string, unknown>) => {
    const result = await forge.client.callTool({ name: 'create_server', arguments: args }, undefined, { timeout: 230_000 });
    return result.structuredContent as any;
  };

  before(async () => {
    allowed = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-byo-files-'));
    outside = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-byo-outside-'));
    shared = path.join(allowed, 'shared');
    await mkdir(path.join(shared, 'docs', 'sub'), { recursive: true });
    await writeFile(path.join(shared, 'hello.txt'), 'hello from the host\n');
    await writeFile(path.join(shared, 'docs', 'notes.md'), '# notes\n');
    // Children run as children.uid (10001): the folders must be readable by others.
    for (const dir of [allowed, shared, path.join(shared, 'docs'), path.join(shared, 'docs', 'sub'), outside]) await chmod(dir, 0o755);
    forge = await startForge({
      children: { ready_timeout_s: 20, allowed_host_roots: [allowed] },
      monitor: { crash_loop_restarts: 3, crash_loop_window_s: 120, alert_cooldown_s: 60, history_interval_s: 1 },
    });
  });
  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await forge?.stop();
    await rm(allowed, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  let files: any;
  it('serves a host folder mounted read-only to server-filesystem: list_directory and read_file over MCP', async () => {
    const created = await create({ name: 'files', source: { npm: FILESYSTEM, args: ['/srv/files'], folders: [{ host: shared, target: '/srv/files' }] } });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    files = created.server;
    expect(files.source.folders).to.deep.equal([{ host: shared, target: '/srv/files' }]);

    const info = await docker.getContainer(files.container_id).inspect();
    const mount = info.Mounts.find((m: any) => m.Destination === '/srv/files');
    expect(mount).to.include({ Type: 'bind', Source: shared, RW: false });

    const client = await connect(`http://127.0.0.1:${files.port}`);
    clients.push(client);
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).to.include.members(['list_directory', 'read_file', 'write_file']);
    const listed = texts(await client.callTool({ name: 'list_directory', arguments: { path: '/srv/files' } }));
    expect(listed).to.include('[FILE] hello.txt').and.include('[DIR] docs');
    const read = await client.callTool({ name: 'read_file', arguments: { path: '/srv/files/hello.txt' } });
    expect(read.isError, texts(read)).to.not.equal(true);
    expect(texts(read)).to.include('hello from the host');
    // Read-only: the server's own write tool fails against the mount.
    const write = await client.callTool({ name: 'write_file', arguments: { path: '/srv/files/new.txt', content: 'x' } });
    expect(write.isError).to.equal(true);
    expect(texts(write)).to.match(/EROFS|read-only/i);
  });

  it('refuses a folder outside children.allowed_host_roots with the clear error, storing nothing', async () => {
    const before = forge.forge.registry.list().length;
    const refused = await create({ name: 'fs-out', source: { npm: FILESYSTEM, args: ['/srv/files'], folders: [{ host: outside, target: '/srv/files' }] } });
    expect(refused.status).to.equal('error');
    expect(refused.error.code).to.equal('invalid_request');
    expect(refused.error.message).to.contain(`source.folders[0].host ${outside} is not under an allowed host root (${allowed})`);
    expect(refused.error.message).to.contain('set children.allowed_host_roots');
    const badTarget = await create({ name: 'fs-tgt', source: { npm: FILESYSTEM, folders: [{ host: shared, target: '/app/x' }] } });
    expect(badTarget.error.message).to.match(/source.folders\[0\].target: "\/app\/x" is inside \/app/);
    expect(forge.forge.registry.list().length).to.equal(before);
  });

  it('checks the folder again at every start: a folder replaced by a link is refused', async () => {
    const stopped = await forge.call('stop_server', { server_id: files.id });
    expect(stopped.status, JSON.stringify(stopped)).to.equal('success');
    const moved = `${shared}-moved`;
    await rename(shared, moved);
    await symlink(outside, shared);
    try {
      const started = await forge.call('start_server', { server_id: files.id });
      expect(started.status).to.equal('error');
      expect(started.error.message).to.match(/now resolves to|is not under an allowed host root/);
    } finally {
      await rm(shared);
      await rename(moved, shared);
    }
    expect((await forge.call('start_server', { server_id: files.id })).status).to.equal('success');
  });

  it('an npm child whose server exits at once on every start crash-loops visibly: crash_loop alert with its stderr', async () => {
    // The server is given a folder inside the mount; once it is gone, server-filesystem exits 1 at start.
    const created = await create({ name: 'fs-loop', source: { npm: FILESYSTEM, args: ['/srv/files/docs/sub'], folders: [{ host: shared, target: '/srv/files' }] } });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    const server = created.server;
    await rm(path.join(shared, 'docs', 'sub'), { recursive: true });
    // The server dies (SIGKILL, as a crash would): the bridge exits non-zero, Docker restarts the child.
    const exec = await docker.getContainer(server.container_id).exec({
      Cmd: ['node', '-e', "const fs=require('fs');for(const p of fs.readdirSync('/proc')){if(/^\\d+$/.test(p)&&fs.readFileSync('/proc/'+p+'/cmdline','utf8').includes('server-filesystem'))process.kill(+p,'SIGKILL')}"],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({});
    await new Promise((resolve) => (stream.on('end', resolve), stream.resume()));

    const alertsOf = (kind: string) => forge.call('get_alerts', { server_id: server.id, kind });
    const loop = await pollUntil(() => alertsOf('crash_loop'), (r) => r.count > 0, 'a crash_loop alert', 90_000, 500);
    expect(loop.alerts[0]).to.include({ kind: 'crash_loop', severity: 'critical' });
    expect(loop.alerts[0].message).to.match(/crash-looping: crash loop: [3-9]\d* restarts in the last 120 s; last exit code 1/);
    expect(loop.alerts[0].diagnosis.last_stderr.join('\n')).to.contain('None of the specified directories are accessible');
    const listed = (await forge.call('list_servers')).servers.find((s: any) => s.id === server.id);
    expect(listed.status).to.equal('error');
    const info = JSON.parse(((await forge.client.readResource({ uri: `servers://${server.id}/info` })).contents[0] as { text: string }).text);
    expect(info.error).to.match(/^crash loop: \d+ restarts/);
  });
});
