import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { call, connect } from '../../support/forge-fixture.js';
import { docker } from '../../support/docker-leaks.js';
import { startForgeProcess, type ForgeProcess } from '../../support/forge-process.js';
import { RUN_ID, TEST_PORTS } from '../../support/test-env.js';

/** Version verified with `npm view @modelcontextprotocol/server-memory versions`. */
const MEMORY = '@modelcontextprotocol/server-memory@2026.8.31';
const texts = (result: any) => (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

describe('kill -9 of the forge with an npm child running', function () {
  this.timeout(240_000);
  const env = {
    FORGE_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-byo-crash-')),
    FORGE_INSTANCE_ID: `${RUN_ID}-byo-crash-${randomBytes(2).toString('hex')}`,
    FORGE_PORT_RANGE_START: String(TEST_PORTS.start),
    FORGE_PORT_RANGE_END: String(TEST_PORTS.end),
  };
  let first: ForgeProcess | undefined;
  let restarted: ForgeProcess | undefined;
  let server: any;
  const clients: Client[] = [];

  before(async () => {
    first = await startForgeProcess(env);
    const forge = await connect(first.url);
    clients.push(forge);
    const created = await forge.callTool(
      { name: 'create_server', arguments: { name: 'mem-crash', source: { npm: MEMORY, env: { MEMORY_FILE_PATH: '/tmp/memory.jsonl' } } } },
      undefined,
      { timeout: 230_000 },
    );
    server = (created.structuredContent as any).server;
    expect((created.structuredContent as any).status, JSON.stringify(created.structuredContent)).to.equal('success');
    const child = await connect(`http://127.0.0.1:${server.port}`);
    clients.push(child);
    const made = await child.callTool({ name: 'create_entities', arguments: { entities: [{ name: 'before-kill', entityType: 'thing', observations: ['made before the kill'] }] } });
    expect(made.isError, texts(made)).to.not.equal(true);
    first.child.kill('SIGKILL');
    await first.exited;
    restarted = await startForgeProcess(env);
  });

  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    first?.child.kill('SIGKILL');
    if (!restarted) return;
    const forge = await connect(restarted.url);
    for (const s of (await call(forge, 'list_servers')).servers) await call(forge, 'delete_server', { server_id: s.id });
    await forge.close();
    restarted.child.kill('SIGTERM');
    await restarted.exited;
  });

  it('after the restart the npm child is listed running, the same container, and answers with its state intact', async () => {
    const forge = await connect(restarted!.url);
    clients.push(forge);
    const listed = (await call(forge, 'list_servers')).servers;
    expect(listed.map((s: any) => s.name)).to.deep.equal(['mem-crash']);
    expect(listed[0]).to.include({ id: server.id, status: 'running', port: server.port });
    const shown = JSON.parse(((await forge.readResource({ uri: `servers://${server.id}/info` })).contents[0] as { text: string }).text);
    expect(shown).to.include({ status: 'running', container_id: server.container_id });
    expect(shown.source).to.include({ type: 'npm', package: '@modelcontextprotocol/server-memory', version: '2026.8.31' });
    const info = await docker.getContainer(server.container_id).inspect();
    expect(info.State.Running).to.equal(true);
    // The child never noticed the forge die: its graph (in the bridged subprocess) is still there.
    const child = await connect(`http://127.0.0.1:${server.port}`);
    clients.push(child);
    expect(texts(await child.callTool({ name: 'read_graph', arguments: {} }))).to.include('made before the kill');
  });

  it('the recovered npm child restarts cleanly through the restarted forge', async () => {
    const forge = await connect(restarted!.url);
    clients.push(forge);
    const again = await call(forge, 'restart_server', { server_id: server.id });
    expect(again.status, JSON.stringify(again)).to.equal('success');
    const child = await connect(`http://127.0.0.1:${server.port}`);
    clients.push(child);
    const graph = await child.callTool({ name: 'read_graph', arguments: {} });
    expect(graph.isError, texts(graph)).to.not.equal(true);
  });
});
