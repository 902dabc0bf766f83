import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startForge, type ForgeHandle } from '../support/forge-fixture.js';

describe('bad input: clear errors in the API format, nothing stored changes', function () {
  let h: ForgeHandle;
  let registryBefore: string;
  const registryText = () => readFileSync(path.join(h.config.storage.data_dir, 'registry.json'), 'utf8');

  before(async () => {
    h = await startForge();
    const ok = await h.call('create_server', { name: 'keeper', description: 'Must survive bad calls', capabilities: ['echo'] });
    expect(ok.status, JSON.stringify(ok)).to.equal('success');
    registryBefore = registryText();
  });
  after(async () => h?.stop());

  const cases: Array<[string, string, Record<string, unknown>, string, RegExp]> = [
    ['short name', 'create_server', { name: 'ab' }, 'invalid_request', /name must NOT have fewer than 3 characters/],
    ['bad name characters', 'create_server', { name: 'bad name!' }, 'invalid_request', /name must match pattern/],
    ['short description', 'create_server', { name: 'fine-name', description: 'tiny' }, 'invalid_request', /description must NOT have fewer than 5/],
    ['duplicate name', 'create_server', { name: 'keeper' }, 'invalid_request', /a server named "keeper" already exists/],
    ['unknown capability', 'create_server', { name: 'fine-name', capabilities: ['echo', 'teleport'] }, 'invalid_request', /unknown capability: teleport; known capabilities: echo, encoding, time, uptime/],
    ['unknown handler', 'create_server', { name: 'fine-name', handlers: ['warp'] }, 'invalid_request', /unknown handler: warp/],
    ['unknown option', 'create_server', { name: 'fine-name', options: { turbo: true } }, 'invalid_request', /unknown option: turbo/],
    ['wrong type', 'create_server', { name: 42 }, 'invalid_request', /name must be string/],
    ['missing server_id', 'start_server', {}, 'invalid_request', /missing parameter "server_id"/],
    ['malformed server_id', 'stop_server', { server_id: '../../etc/passwd' }, 'invalid_id', /is not a server id/],
    ['unknown server', 'restart_server', { server_id: 'mcp-20990101-zzzzzz' }, 'not_found', /no server with id or name/],
    ['unknown tool', 'launch_rockets', {}, 'invalid_request', /unknown tool "launch_rockets"/],
  ];

  for (const [label, tool, args, code, message] of cases) {
    it(`${label}: ${code}`, async () => {
      const result = await h.call(tool, args);
      expect(result.status).to.equal('error');
      expect(result.error.code).to.equal(code);
      expect(result.error.message).to.match(message);
      expect(Object.keys(result)).to.deep.equal(['status', 'error']);
    });
  }

  it("a name equal to another server's id: invalid_request (ids and names are one namespace)", async () => {
    const keeper = (await h.call('list_servers')).servers.find((s: any) => s.name === 'keeper');
    const result = await h.call('create_server', { name: keeper.id, capabilities: ['echo'] });
    expect(result, JSON.stringify(result)).to.deep.equal({
      status: 'error',
      error: { code: 'invalid_request', message: `"${keeper.id}" is already the id of server keeper; choose another name` },
    });
    expect((await h.call('start_server', { server_id: keeper.id })).message).to.equal('server keeper is already running');
  });

  it('left the registry file byte-for-byte unchanged', () => {
    expect(registryText()).to.equal(registryBefore);
  });

  it('marks error results with isError and carries the same JSON as text', async () => {
    const raw = await h.client.callTool({ name: 'start_server', arguments: { server_id: 'nobody-here' } });
    expect(raw.isError).to.equal(true);
    const text = (raw.content as Array<{ type: string; text: string }>)[0]!.text;
    expect(JSON.parse(text)).to.deep.equal(raw.structuredContent);
  });
});
