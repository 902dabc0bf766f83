import { expect } from 'chai';
import { startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { pollUntil } from '../../support/poll.js';
import { runCli } from '../../support/run-cli.js';
import { RUN_ID } from '../../support/test-env.js';

describe('CLI through the forge: mcp-forge tools and mcp-forge call <server>__<tool>', function () {
  const NAME = `gc${RUN_ID.slice(-8)}`;
  let h: ForgeHandle;
  before(async () => {
    h = await startForge();
    expect((await h.call('create_server', { name: NAME, description: 'CLI gateway server', capabilities: ['echo'] })).status).to.equal('success');
    await pollUntil(() => h.client.listTools(), (r) => r.tools.some((t) => t.name === `${NAME}__echo`), 'the server listed');
  });
  after(async () => h?.stop());

  it('lists the forge\'s tools and the server\'s, and calls the server\'s tool by its prefixed name', async () => {
    const tools = await runCli(['--url', h.forge.url, '--json', 'tools']);
    expect(tools.code, tools.stderr).to.equal(0);
    expect(tools.json().tools.map((t: { name: string }) => t.name)).to.include.members(['create_server', `${NAME}__echo`]);
    const echo = await runCli(['--url', h.forge.url, '--json', 'call', `${NAME}__echo`, 'message=through the forge']);
    expect(echo.code, echo.stderr).to.equal(0);
    expect(echo.json()).to.deep.equal({ message: 'through the forge' });
  });
});
