import { expect } from 'chai';
import { builtinTemplatesDir } from '../../src/config/paths.js';
import type { ServerRecord } from '../../src/registry/server-record.js';
import { CapabilityCatalog } from '../../src/render/capability-catalog.js';
import { toCreateRequest } from '../../src/servers/create-request.js';
import { needsEgress, programUnits, unitRuntime } from '../../src/servers/server-units.js';

describe('capability units: create requests and what children get', () => {
  let catalog: CapabilityCatalog;
  before(async () => {
    catalog = await CapabilityCatalog.load(builtinTemplatesDir);
  });

  const record = (over: Partial<ServerRecord>): ServerRecord =>
    ({ id: 'mcp-20250101-abcdef', name: 'x', capabilities: [], handlers: [], options: {}, volume: null, credentials: null, ...over }) as ServerRecord;

  it('applies the defaults and copies what it is given', () => {
    const options = { persistence: 'sqlite' };
    const request = toCreateRequest({ options }, catalog);
    expect(request).to.deep.equal({ name: null, description: 'MCP Server', capabilities: ['echo', 'time', 'uptime'], handlers: [], options: { persistence: 'sqlite' }, source: null, secrets: {} });
    expect(request.options).to.not.equal(options);
  });

  it('refuses a unit whose required settings are missing, with an example', () => {
    expect(() => toCreateRequest({ handlers: ['file_reader'] }, catalog)).to.throw('handler "file_reader" needs options.file_reader, e.g. options.file_reader = {"root":"/absolute/host/folder"}');
  });

  it('a server needs a route out when a unit declares needs.network (http_request) or it is a source', () => {
    expect(needsEgress(record({ capabilities: ['echo', 'time', 'uptime', 'encoding'], handlers: ['file_reader'], options: { persistence: 'sqlite', auth: 'basic' } }), catalog)).to.equal(false);
    expect(needsEgress(record({ capabilities: ['echo'], handlers: ['http_request'] }), catalog)).to.equal(true);
    expect(needsEgress(record({ source: { type: 'npm' } as ServerRecord['source'] }), catalog)).to.equal(true);
  });

  it('the program is the capabilities, the handlers and the options switched on; settings are not part of it', () => {
    const server = { capabilities: ['time', 'echo'], handlers: ['file_reader'], options: { file_reader: { root: '/a' }, auth: 'basic' } };
    expect(programUnits(server, catalog)).to.deep.equal(['auth', 'echo', 'file_reader', 'time']);
    const other = { ...server, options: { file_reader: { root: '/b', max_entries: 3 }, auth: 'basic' } };
    expect(programUnits(other, catalog)).to.deep.equal(programUnits(server, catalog));
  });

  it('children get settings as data, host folders as read-only mounts, the hash only where needed', () => {
    const credentials = { scheme: 'basic' as const, username: 'x', hash: 'scrypt$16384$8$1$c2FsdA==$a2V5' };
    const runtime = unitRuntime(
      record({
        capabilities: ['echo'],
        handlers: ['file_reader'],
        options: { file_reader: { root: '/host/docs', max_file_bytes: 10 }, persistence: 'sqlite', auth: 'basic' },
        volume: 'mcp-forge-data-mcp-20250101-abcdef',
        credentials,
      }),
      catalog,
    );
    expect(JSON.parse(runtime.env.FORGE_UNIT_SETTINGS!)).to.deep.equal({
      auth: { settings: 'basic', credentials: { username: 'x', hash: credentials.hash } },
      echo: { settings: null },
      file_reader: { settings: { root: '/srv/files', max_file_bytes: 10 } },
      persistence: { settings: 'sqlite' },
    });
    expect(runtime.env.FORGE_UNIT_SETTINGS).to.not.contain('/host/docs');
    expect(runtime.mounts).to.deep.equal([
      { type: 'bind', source: '/host/docs', target: '/srv/files', readOnly: true },
      { type: 'volume', source: 'mcp-forge-data-mcp-20250101-abcdef', target: '/data' },
    ]);
  });
});
