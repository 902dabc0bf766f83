import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { call, connect } from '../support/forge-fixture.js';
import { childrenWithLabel } from '../support/child-container.js';
import { startForgeProcess, type ForgeProcess } from '../support/forge-process.js';
import { until } from '../support/poll.js';
import { RUN_ID, TEST_PORTS } from '../support/test-env.js';
import type { RegistryData } from '../../src/registry/server-record.js';
import type { ReconcileReport } from '../../src/servers/reconciler.js';

describe('kill -9 of the forge in the middle of creating servers', function () {
  const instance = `${RUN_ID}-crash-${randomBytes(2).toString('hex')}`;
  const env = {
    FORGE_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-crash-')),
    FORGE_INSTANCE_ID: instance,
    FORGE_PORT_RANGE_START: String(TEST_PORTS.start),
    FORGE_PORT_RANGE_END: String(TEST_PORTS.end),
  };
  const succeeded: string[] = [];
  /** Entries the registry file showed mid-create (phase `creating`) the moment the kill was sent. */
  let creatingAtKill: string[] = [];
  let reportedAtKill: string[] = [];
  let restarted: ForgeProcess | undefined;
  const registryFile = path.join(env.FORGE_DATA_DIR, 'registry.json');
  const creatingNow = (): string[] => {
    try {
      return (JSON.parse(readFileSync(registryFile, 'utf8')) as RegistryData).servers.filter((s) => s.phase === 'creating').map((s) => s.id);
    } catch {
      return [];
    }
  };

  before(async () => {
    const forge = await startForgeProcess(env);
    const client = await connect(forge.url);
    const calls = Array.from({ length: 8 }, (_, i) =>
      call(client, 'create_server', { name: `crash-${i}`, capabilities: ['echo'] }).then(
        (r) => (r?.status === 'success' ? succeeded.push(r.server.id) : undefined),
        () => undefined,
      ),
    );
    // Kill once the first create has been reported done while the registry (written atomically,
    // before each answer) still shows others mid-create: read and kill in one synchronous step.
    await until('a create reported done while others are still creating', async () => {
      if (succeeded.length === 0) return undefined;
      const creating = creatingNow();
      if (creating.length === 0) return undefined;
      forge.child.kill('SIGKILL');
      creatingAtKill = creating;
      reportedAtKill = [...succeeded];
      return true;
    }, 120_000, 10);
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

  it('the kill landed mid-create: start-up reconciliation adopted or marked interrupted a create never reported done', async () => {
    expect(creatingAtKill.length, 'entries mid-create at the kill').to.be.at.least(1);
    const line = restarted!.lines.find((l) => l.msg === 'reconciled registry with the engine');
    expect(line, 'the reconcile report of the restart').to.not.equal(undefined);
    const { adopted, interrupted } = line!.report as ReconcileReport;
    const unfinished = [...adopted, ...interrupted];
    expect(unfinished, JSON.stringify(line!.report)).to.include.members(creatingAtKill);
    expect(unfinished.filter((id) => !succeeded.includes(id)), 'interrupted or adopted creates never reported done').to.not.be.empty;
    expect(unfinished.filter((id) => reportedAtKill.includes(id))).to.deep.equal([]);
    const client = await connect(restarted!.url);
    const servers = (await call(client, 'list_servers', { include_details: true })).servers;
    await client.close();
    for (const id of interrupted) expect(servers.find((s: any) => s.id === id), id).to.deep.include({ status: 'error' });
    for (const id of adopted) expect(servers.find((s: any) => s.id === id), id).to.deep.include({ status: 'running' });
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
    const children = await childrenWithLabel(`io.mcp-forge.instance=${instance}`);
    const byId = new Map(children.map((c) => [c.serverId, c]));
    for (const s of servers) {
      const c = byId.get(s.id);
      if (s.status === 'running') expect(c?.running, `${s.name} is listed running`).to.equal(true);
      else expect(c?.running ?? false, `${s.name} is listed ${s.status}`).to.equal(false);
    }
    const known = new Set(servers.map((s: any) => s.id));
    const orphans = children.filter((c) => !known.has(c.serverId));
    expect(orphans.map((c) => c.name)).to.deep.equal([]);
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
