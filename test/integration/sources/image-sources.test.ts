import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import tar from 'tar-fs';
import { connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { docker } from '../../support/docker-leaks.js';
import { RUN_ID, TEST_LABEL } from '../../support/test-env.js';

/** A stdio MCP server in plain Node (the local Node base has no npm): one tool that tells its uid and a secret. `--silent` never answers. */
const STDIO_SERVER = `
const silent = process.argv.includes('--silent');
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  if (silent) return;
  const m = JSON.parse(line);
  const reply = (result) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\\n');
  if (m.method === 'initialize') reply({ protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'stdio-image', version: '1.0.0' }, instructions: 'test image' });
  else if (m.method === 'tools/list') reply({ tools: [{ name: 'whoami', inputSchema: { type: 'object' } }] });
  else if (m.method === 'tools/call') reply({ content: [{ type: 'text', text: JSON.stringify({ uid: process.getuid(), token: process.env.API_TOKEN ?? null, args: process.argv.slice(2) }) }] });
  else if (m.id !== undefined) process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'no ' + m.method } }) + '\\n');
});
`;

/** A Streamable HTTP MCP server in plain Node, answering JSON (no SSE), at /rpc on port 3000. */
const HTTP_SERVER = `
const http = require('node:http');
http.createServer((req, res) => {
  if (req.url !== '/rpc') { res.writeHead(404); return res.end(); }
  if (req.method !== 'POST') { res.writeHead(req.method === 'DELETE' ? 200 : 405); return res.end(); }
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const m = JSON.parse(body);
    if (m.id === undefined) { res.writeHead(202); return res.end(); }
    const result = m.method === 'initialize'
      ? { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'http-image', version: '1.0.0' } }
      : m.method === 'tools/list' ? { tools: [{ name: 'ping_http', inputSchema: { type: 'object' } }] }
      : { content: [{ type: 'text', text: 'pong from uid ' + process.getuid() }] };
    res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }));
  });
}).listen(3000, '0.0.0.0');
`;

const NODE_BASE = 'mcp-forge/node-base:20-local';
const texts = (result: any) => (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

async function buildImage(tag: string, script: string): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-img-'));
  try {
    await writeFile(path.join(dir, 'server.js'), script);
    await writeFile(path.join(dir, 'Dockerfile'), `FROM ${NODE_BASE}\nCOPY server.js /srv/server.js\nWORKDIR /srv\nCMD ["node", "/srv/server.js"]\n`);
    const stream = await docker.buildImage(tar.pack(dir) as unknown as NodeJS.ReadableStream, { t: tag, labels: { [TEST_LABEL]: RUN_ID } });
    const events: any[] = await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err, out) => (err ? reject(err) : resolve(out))));
    const failed = events.find((e) => e.error);
    if (failed) throw new Error(failed.error);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('bring-your-own local images', function () {
  this.timeout(240_000);
  const stdioTag = `mcp-forge-test-stdio:${RUN_ID}`;
  const httpTag = `mcp-forge-test-http:${RUN_ID}`;
  let forge: ForgeHandle;
  const create = async (args: Record<string, unknown>) => {
    const result = await forge.client.callTool({ name: 'create_server', arguments: args }, undefined, { timeout: 230_000 });
    return result.structuredContent as any;
  };

  before(async () => {
    await buildImage(stdioTag, STDIO_SERVER);
    await buildImage(httpTag, HTTP_SERVER);
    forge = await startForge({ children: { ready_timeout_s: 30 } });
  });
  after(async () => {
    await forge?.stop();
  });

  it('bridges a stdio image, run as the child uid (its user is root), with args and a secret', async () => {
    const created = await create({ name: 'stdio-img', source: { image: stdioTag, transport: 'stdio', args: ['--flag'] }, secrets: { API_TOKEN: 's3cr3t-value' } });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    expect(created.server.source).to.include({ type: 'image', image: stdioTag, transport: 'stdio', user: `${forge.config.children.uid}:${forge.config.children.uid}` });
    expect(created.server.source.secrets).to.deep.equal(['API_TOKEN']);
    expect(JSON.stringify(created)).to.not.include('s3cr3t-value');
    for (const transport of ['streamable', 'sse'] as const) {
      const client = await connect(`http://127.0.0.1:${created.server.port}`, transport);
      expect(client.getServerVersion()?.name).to.equal('stdio-image');
      expect(client.getInstructions()).to.equal('test image');
      const answer = JSON.parse(texts(await client.callTool({ name: 'whoami', arguments: {} })));
      expect(answer).to.deep.equal({ uid: forge.config.children.uid, token: 's3cr3t-value', args: ['--flag'] });
      await client.close();
    }
    const registryFile = JSON.stringify(forge.forge.registry.list());
    expect(registryFile).to.not.include('s3cr3t-value');
    const listed = await forge.call('list_servers', { include_details: true });
    expect(JSON.stringify(listed)).to.not.include('s3cr3t-value');
    const audit = await forge.call('get_audit_log', {});
    expect(JSON.stringify(audit)).to.include('create_server');
    expect(JSON.stringify(audit)).to.not.include('s3cr3t-value');
    const { readFile, readdir } = await import('node:fs/promises');
    const dataDir = forge.config.storage.data_dir;
    for (const file of ['registry.json', 'audit.log']) {
      const text = await readFile(path.join(dataDir, file), 'utf8').catch(() => '');
      expect(text, file).to.not.include('s3cr3t-value');
    }
    expect(await readdir(path.join(dataDir, 'secrets'))).to.deep.equal([`${created.server.id}.json`]);
    expect(await readFile(path.join(dataDir, 'secrets', `${created.server.id}.json`), 'utf8')).to.not.include('s3cr3t-value');
  });

  it('runs an http image as it is, checked by an MCP initialize at its own path', async () => {
    const created = await create({ name: 'http-img', source: { image: httpTag, transport: 'http', port: 3000, path: '/rpc' } });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    expect(created.server.source).to.include({ type: 'image', transport: 'http', port: 3000, path: '/rpc', user: `${forge.config.children.uid}:${forge.config.children.uid}` });
    expect(created.server.image).to.equal(httpTag);
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const client = new Client({ name: 't', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${created.server.port}/rpc`)));
    expect(texts(await client.callTool({ name: 'ping_http', arguments: {} }))).to.equal(`pong from uid ${forge.config.children.uid}`);
    await client.close();
  });

  it('refuses a missing image, and an image that never answers initialize, leaving nothing behind', async () => {
    const missing = await create({ name: 'missing-img', source: { image: 'mcp-forge-test-absent:nope', transport: 'stdio' } });
    expect(missing.status).to.equal('error');
    expect(missing.error.message).to.match(/not present on the Docker host/);
    const silent = await create({ name: 'silent-img', source: { image: stdioTag, args: ['--silent'] } });
    expect(silent.status).to.equal('error');
    expect(silent.error.message).to.match(/did not become ready/);
    expect(silent.error.message, silent.error.message).to.match(/no answer to initialize/);
    expect(forge.forge.registry.list().map((s) => s.name)).to.not.include.members(['missing-img', 'silent-img']);
    const containers = await docker.listContainers({ all: true, filters: { name: ['mcp-forge-silent-img', 'mcp-forge-missing-img'] } });
    expect(containers).to.have.length(0);
  });
});
