import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'chai';
import { connect, startForge, type ForgeHandle, type Transport } from '../../support/forge-fixture.js';
import { listChanges } from '../../support/list-changes.js';
import { RUN_ID } from '../../support/test-env.js';

const names = (tools: Array<{ name: string }>) => tools.map((t) => t.name);

for (const transport of ['streamable', 'sse'] as Transport[]) {
  describe(`gateway over ${transport}: children's tools come and go with list_changed`, function () {
    const NAME = `gw${transport.slice(0, 3)}${RUN_ID.slice(-6)}`;
    const TOOL = `${NAME}__uptime`;
    let h: ForgeHandle;
    let gw: Client;
    before(async () => {
      h = await startForge({}, transport);
      gw = await connect(`${h.forge.url}/gateway`, transport);
    });
    after(async () => {
      await gw?.close();
      await h?.stop();
    });

    it('lists a new server as <name>__<tool>, calls it, and follows stop, start and delete', async () => {
      const changes = listChanges(gw);
      const forgeChanges = listChanges(h.client);
      expect(names((await gw.listTools()).tools)).to.not.include(TOOL);

      const appeared = changes.next((tools) => names(tools).includes(TOOL), `${TOOL} listed`);
      const forgeAppeared = forgeChanges.next((tools) => names(tools).includes(TOOL), `${TOOL} listed by /mcp`);
      const created = await h.call('create_server', { name: NAME, description: 'Gateway test server', capabilities: ['echo', 'uptime'] });
      expect(created.status, JSON.stringify(created)).to.equal('success');
      const tools = await appeared;
      expect(names(tools).sort()).to.deep.equal([`${NAME}__echo`, TOOL]);
      const uptime = tools.find((t) => t.name === TOOL)!;
      expect(uptime.description).to.equal("Return this server's uptime in seconds and its start time.");
      expect(uptime.inputSchema).to.deep.equal({ type: 'object', properties: {}, additionalProperties: false });
      // The forge's own /mcp lists and routes them too (gateway.include_children).
      expect(names(await forgeAppeared)).to.include.members(['create_server', TOOL]);

      const result = await gw.callTool({ name: TOOL, arguments: {} });
      expect(result.isError).to.not.equal(true);
      expect((result.structuredContent as any).server_id).to.equal(created.server.id);
      const viaForge = await h.client.callTool({ name: `${NAME}__echo`, arguments: { message: 'through /mcp' } });
      expect(viaForge.structuredContent).to.deep.equal({ message: 'through /mcp' });
      // A child's own error result comes back unchanged.
      const bad = await gw.callTool({ name: `${NAME}__echo`, arguments: { nope: 1 } });
      expect(bad.isError).to.equal(true);
      expect(JSON.stringify(bad.content)).to.contain('invalid arguments for echo');

      const gone = changes.next((t) => !names(t).includes(TOOL), `${TOOL} gone after stop`);
      expect((await h.call('stop_server', { server_id: NAME })).status).to.equal('success');
      await gone;
      const stale = await gw.callTool({ name: TOOL, arguments: {} });
      expect(stale.isError).to.equal(true);
      expect(JSON.stringify(stale.content)).to.contain(`unknown tool: ${TOOL}`);

      const back = changes.next((t) => names(t).includes(TOOL), `${TOOL} back after start`);
      expect((await h.call('start_server', { server_id: NAME })).status).to.equal('success');
      await back;
      expect(((await gw.callTool({ name: TOOL, arguments: {} })).structuredContent as any).server_id).to.equal(created.server.id);

      const deleted = changes.next((t) => !names(t).includes(TOOL), `${TOOL} gone after delete`);
      expect((await h.call('delete_server', { server_id: NAME })).status).to.equal('success');
      await deleted;
    });
  });
}
