import { expect } from 'chai';
import { startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';
import { tempTemplates } from '../support/temp-templates.js';

describe('readiness: a child that never answers MCP is removed and the error says why', function () {
  const templates = tempTemplates({
    crasher: { tools: ['crash'], handlers: "process.stderr.write('boom: missing SECRET_SAUCE\\n');\nprocess.exit(3);\nexport async function crash() {}\n" },
    sleeper: { tools: ['nap'], handlers: 'setInterval(() => {}, 1000);\nawait new Promise(() => {});\nexport async function nap() {}\n' },
  });
  let h: ForgeHandle;
  before(async () => {
    h = await startForge({ templates: { dir: templates.dir }, children: { ready_timeout_s: 3 } });
  });
  after(async () => {
    await h?.stop();
    templates.remove();
  });

  const containersNamed = async (name: string) =>
    (await docker.listContainers({ all: true, filters: { name: [`mcp-forge-${name}`] } })).length;

  it('a child that exits reports its exit and last stderr lines; no container or entry is left', async () => {
    const result = await h.call('create_server', { name: 'crashy', capabilities: ['crasher'] });
    expect(result.status).to.equal('error');
    expect(result.error.code).to.equal('server_error');
    expect(result.error.message, result.error.message).to.match(/exited with code 3|crashed before answering MCP/);
    expect(result.error.message).to.contain('boom: missing SECRET_SAUCE');
    expect(await containersNamed('crashy')).to.equal(0);
    expect((await h.call('list_servers')).count).to.equal(0);
  });

  it('a child that never listens times out; its container is removed and the name is free again', async () => {
    const result = await h.call('create_server', { name: 'sleepy', capabilities: ['sleeper'] });
    expect(result.status).to.equal('error');
    expect(result.error.message, result.error.message).to.match(/no MCP initialize answer within 3000 ms/);
    expect(await containersNamed('sleepy')).to.equal(0);
    const again = await h.call('create_server', { name: 'sleepy' });
    expect(again.status, JSON.stringify(again)).to.equal('success');
  });
});
