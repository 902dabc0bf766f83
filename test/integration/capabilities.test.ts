import { expect } from 'chai';
import { createHash, createHmac } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { call, connect, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { attempt } from '../support/tool-call.js';

describe('capability units: discovery, validation and the encoding capability', function () {
  let h: ForgeHandle;

  before(async () => {
    h = await startForge({ children: { allowed_host_roots: [os.tmpdir()] } });
  });
  after(async () => h?.stop());

  it('list_capabilities shows every unit by kind, with tools, option schemas and needs', async () => {
    const listed = await h.call('list_capabilities');
    expect(listed.status).to.equal('success');
    const names = (list: any[]) => list.map((u) => u.name);
    expect(names(listed.capabilities)).to.deep.equal(['echo', 'encoding', 'time', 'uptime']);
    expect(names(listed.handlers)).to.deep.equal(['file_reader', 'http_request']);
    expect(names(listed.options)).to.deep.equal(['auth', 'persistence']);
    expect(listed.count).to.equal(8);
    expect(listed.default_capabilities).to.deep.equal(['echo', 'time', 'uptime']);
    const fileReader = listed.handlers[0];
    expect(fileReader.tools.map((t: any) => t.name)).to.deep.equal(['read_file', 'list_directory']);
    expect(fileReader.option).to.deep.include({ path: 'options.file_reader', required: true });
    expect(fileReader.option.schema.required).to.deep.equal(['root']);
    expect(fileReader.needs).to.deep.equal({ mount: { setting: 'root', target: '/srv/files' } });
    // Only http_request makes connections of its own: the others get no route out where nothing is published.
    const needingNetwork = [...listed.capabilities, ...listed.handlers, ...listed.options].filter((u: any) => u.needs.network).map((u: any) => u.name);
    expect(needingNetwork).to.deep.equal(['http_request']);
    expect(listed.options.find((u: any) => u.name === 'persistence').option.schema).to.deep.equal({ enum: ['sqlite'] });
    expect(listed.capabilities[0].option).to.equal(null);
    expect(names((await h.call('list_capabilities', { kind: 'handler' })).handlers)).to.deep.equal(['file_reader', 'http_request']);
    expect((await h.call('list_capabilities', { kind: 'handler' })).capabilities).to.deep.equal([]);
  });

  it('capabilities://list serves the same as a resource', async () => {
    const resource = await h.client.readResource({ uri: 'capabilities://list' });
    const body = JSON.parse((resource.contents[0] as { text: string }).text);
    const { status, ...tool } = await h.call('list_capabilities');
    expect(status).to.equal('success');
    expect(body).to.deep.equal(tool);
  });

  it('rejects unknown capabilities and handlers, listing the known ones', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ capabilities: ['echo', 'teleport'] }, 'unknown capability: teleport; known capabilities: echo, encoding, time, uptime'],
      [{ handlers: ['ftp'] }, 'unknown handler: ftp; known handlers: file_reader, http_request'],
      [{ capabilities: ['file_reader'] }, 'unknown capability: file_reader ("file_reader" is of kind handler: use handlers); known capabilities: echo, encoding, time, uptime'],
      [{ handlers: ['persistence'] }, 'unknown handler: persistence ("persistence" is of kind option: use options.persistence); known handlers: file_reader, http_request'],
      [{ options: { file_reader: { root: '/tmp' } } }, 'options.file_reader configures the handler "file_reader", which this request does not include'],
    ];
    for (const [args, message] of cases) {
      expect(await h.call('create_server', args), JSON.stringify(args)).to.deep.equal({ status: 'error', error: { code: 'invalid_request', message } });
    }
    expect((await h.call('list_servers')).count).to.equal(0);
  });

  it('the encoding capability hashes, signs, encodes and makes UUIDs in a real child', async () => {
    const created = await h.call('create_server', { name: 'enc-1', capabilities: ['encoding'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    const child = await connect(`http://127.0.0.1:${created.server.port}`);
    try {
      const text = 'héllo, forge';
      expect((await call(child, 'hash', { data: text })).digest).to.equal(createHash('sha256').update(text).digest('hex'));
      const md5 = await call(child, 'hash', { data: Buffer.from([0, 255, 1]).toString('base64'), input_encoding: 'base64', algorithm: 'md5', output_encoding: 'base64' });
      expect(md5).to.deep.equal({ algorithm: 'md5', encoding: 'base64', bytes: 3, digest: createHash('md5').update(Buffer.from([0, 255, 1])).digest('base64') });
      expect((await call(child, 'hmac', { data: text, key: 'k' })).digest).to.equal(createHmac('sha256', 'k').update(text).digest('hex'));
      expect((await call(child, 'base64', { data: text, mode: 'encode' })).result).to.equal(Buffer.from(text).toString('base64'));
      expect((await call(child, 'base64', { data: Buffer.from(text).toString('base64url'), mode: 'decode', url_safe: true })).result).to.equal(text);
      const bad = await attempt(child, 'base64', { data: 'not*base64', mode: 'decode' });
      expect(bad.isError).to.equal(true);
      expect(bad.text).to.contain('not base64 text');
      const { uuids } = await call(child, 'uuid', { count: 3 });
      expect(uuids).to.have.length(3);
      for (const u of uuids) expect(u).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      await child.close();
    }
  });

  it('combines every kind of unit in one server', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-all-'));
    await chmod(root, 0o755);
    await writeFile(path.join(root, 'note.txt'), 'combined');
    try {
      const created = await h.call('create_server', {
        name: 'all-1',
        capabilities: ['echo', 'encoding'],
        handlers: ['file_reader', 'http_request'],
        options: { file_reader: { root }, http_request: { allowed_hosts: ['localhost'] }, persistence: 'sqlite', auth: 'basic' },
      });
      expect(created.status, JSON.stringify(created)).to.equal('success');
      const child = await connect(`http://127.0.0.1:${created.server.port}`, 'sse', { authorization: created.credentials.authorization });
      try {
        const tools = (await child.listTools()).tools.map((t) => t.name);
        expect(tools).to.have.members(['echo', 'hash', 'hmac', 'base64', 'uuid', 'read_file', 'list_directory', 'http_request', 'kv_get', 'kv_set', 'kv_list', 'kv_delete']);
        expect((await call(child, 'read_file', { path: 'note.txt' })).content).to.equal('combined');
        expect((await call(child, 'kv_set', { key: 'k', value: 1 })).stored).to.equal(true);
      } finally {
        await child.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
