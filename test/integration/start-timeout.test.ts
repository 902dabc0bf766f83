import { expect } from 'chai';
import { connect, call, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';
import { tempTemplates } from '../support/temp-templates.js';
import { RUN_ID } from '../support/test-env.js';

/**
 * A test-only unit whose next start hangs (never listens) once armed: the marker lives on the data
 * volume (the root filesystem is read-only, /tmp restarts empty) and is consumed by that start, so
 * the start after it is quick again. Only a start can be made slow this way, never the create.
 */
const SLOW_START = `import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
const MARK = '/data/slow-start-once';
if (existsSync(MARK)) {
  unlinkSync(MARK);
  console.error('slow_start: hanging on this start as asked');
  setInterval(() => {}, 1000);
  await new Promise(() => {});
}
export async function arm_slow_start() {
  writeFileSync(MARK, 'armed');
  return { content: [{ type: 'text', text: 'the next start hangs' }] };
}
`;

describe('start_server and restart_server that miss ready_timeout_s keep the container', function () {
  const templates = tempTemplates({ slow_start: { tools: ['arm_slow_start'], handlers: SLOW_START } });
  let h: ForgeHandle;
  let server: any;

  before(async () => {
    h = await startForge({ templates: { dir: templates.dir } });
    const created = await h.call('create_server', {
      name: `slow-${RUN_ID.slice(-8)}`,
      capabilities: ['echo', 'slow_start'],
      options: { persistence: 'sqlite' },
    });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    server = created.server;
    const child = await connect(`http://127.0.0.1:${server.port}`);
    await call(child, 'kv_set', { key: 'kept', value: 'across failed starts' });
    await child.close();
    // Shorter for the failing starts only (the create above had the default); long enough for node to reach the unit under load.
    expect((await h.call('set_config', { section: 'children', key: 'ready_timeout_s', value: 10 })).status).to.equal('success');
  });
  after(async () => {
    await h?.stop();
    templates.remove();
  });

  const arm = async () => {
    const child = await connect(`http://127.0.0.1:${server.port}`);
    expect((await child.callTool({ name: 'arm_slow_start', arguments: {} })).isError).to.not.equal(true);
    await child.close();
  };
  const expectKeptAndStopped = async (result: any) => {
    expect(result.status, JSON.stringify(result)).to.equal('error');
    expect(result.error.code).to.equal('server_error');
    expect(result.error.message).to.match(/did not become ready: no MCP initialize answer within 10000 ms/);
    expect(result.error.message).to.contain('slow_start: hanging on this start as asked');
    expect(Object.keys(result)).to.deep.equal(['status', 'error']);
    // The same container, stopped, with its logs.
    const info = await docker.getContainer(server.container_id).inspect();
    expect(info.State.Running).to.equal(false);
    const logs = await h.call('get_server_logs', { server_id: server.id, log_type: 'stderr' });
    expect(logs.logs.stderr.join('\n')).to.contain('slow_start: hanging on this start as asked');
    const listed = await h.call('list_servers');
    expect(listed.servers.find((s: any) => s.id === server.id)).to.include({ status: 'stopped' });
  };
  const expectBack = async () => {
    const info = await docker.getContainer(server.container_id).inspect();
    expect(info.State.Running).to.equal(true);
    const child = await connect(`http://127.0.0.1:${server.port}`);
    expect(await call(child, 'kv_get', { key: 'kept' })).to.deep.include({ value: 'across failed starts' });
    await child.close();
  };

  it('start_server: an error in the API format; the container, its logs and data stay; a later start works', async () => {
    await arm();
    expect((await h.call('stop_server', { server_id: server.id })).status).to.equal('success');
    await expectKeptAndStopped(await h.call('start_server', { server_id: server.id }));
    const again = await h.call('start_server', { server_id: server.id });
    expect(again, JSON.stringify(again)).to.include({ status: 'success', message: `server ${server.name} started` });
    await expectBack();
  });

  it('restart_server: the same, for a running server', async () => {
    await arm();
    await expectKeptAndStopped(await h.call('restart_server', { server_id: server.id }));
    const again = await h.call('restart_server', { server_id: server.id });
    expect(again.status, JSON.stringify(again)).to.equal('success');
    await expectBack();
  });
});
