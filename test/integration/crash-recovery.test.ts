import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { call, connect } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';
import { startForgeProcess, type ForgeProcess } from '../support/forge-process.js';
import { RUN_ID } from '../support/test-env.js';

describe('kill -9 of the forge in the middle of creating servers', function () {
  const instance = `${RUN_ID}-crash-${randomBytes(2).toString('hex')}`;
  const env = {
    FORGE_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-crash-')),
    FORGE_INSTANCE_ID: instance,
    FORGE_PORT_RANGE_START: '19501',
    FORGE_PORT_RANGE_END: '19700',
  };
  const succeeded: string[] = [];
  let restarted: ForgeProcess | undefined;

  before(async () => {
    const forge = await startForgeProcess(env);
    const client = await connect(forge.url);
    const calls = Array.from({ length: 8 }, (_, i) =>
      call(client, 'create_server', { name: `crash-${i}`, capabilities: ['echo'] }).then(
        (r) => (r?.status === 'success' ? succeeded.push(r.server.id) : undefined),
        () => undefined,
      ),
    );
    // Kill as soon as the first create has finished: the others are somewhere mid-way.
    const deadline = Date.now() + 60_000;
    while (succeeded.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    forge.child.kill('SIGKILL');
    await forge.exited;
    await Promise.all(calls);
    restarted = await startForgeProcess(env);
  });

  after(async () => {
    if (!restarted) return;
    const client = await connect(restarted.url);
    for (const s of (await call(client, 'list_servers')).servers) await call(client, 'delete_server', { server_id: s.id });
    await client.close();
    restarted.child.kill('SIGTERM');
    await restarted.exited;
  });

  it('loses no entry that was reported created', async () => {
    expect(succeeded.length).to.be.at.least(1);
    const client = await connect(restarted!.url);
    const ids = (await call(client, 'list_servers')).servers.map((s: any) => s.id);
    await client.close();
    expect(ids).to.include.members(succeeded);
  });

  it('list_servers agrees with docker ps: every running entry has its running container, no orphan container', async () => {
    const client = await connect(restarted!.url);
    const servers = (await call(client, 'list_servers')).servers;
    await client.close();
    const containers = await docker.listContainers({ all: true, filters: { label: [`io.mcp-forge.instance=${instance}`] } });
    const byId = new Map(containers.map((c) => [c.Labels['io.mcp-forge.server-id'], c]));
    for (const s of servers) {
      const c = byId.get(s.id);
      if (s.status === 'running') expect(c?.State, `${s.name} is listed running`).to.equal('running');
      else expect(c?.State, `${s.name} is listed ${s.status}`).to.not.equal('running');
    }
    const known = new Set(servers.map((s: any) => s.id));
    const orphans = containers.filter((c) => !known.has(c.Labels['io.mcp-forge.server-id']));
    expect(orphans.map((c) => c.Names[0])).to.deep.equal([]);
  });

  it('every server it lists can be brought to running', async () => {
    const client = await connect(restarted!.url);
    for (const s of (await call(client, 'list_servers')).servers) {
      if (s.status === 'running') continue;
      const r = await call(client, 'start_server', { server_id: s.id });
      expect(r.status, JSON.stringify(r)).to.equal('success');
    }
    const statuses = (await call(client, 'list_servers')).servers.map((s: any) => s.status);
    expect(statuses.every((s: string) => s === 'running')).to.equal(true);
    await client.close();
  });
});
