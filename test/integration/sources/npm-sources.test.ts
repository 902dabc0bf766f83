import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { docker } from '../../support/docker-leaks.js';

/** Versions verified with `npm view <package> versions`. */
const MEMORY = '@modelcontextprotocol/server-memory@2026.8.31';
const EVERYTHING = '@modelcontextprotocol/server-everything@2026.8.31';

const childUrl = (server: { port: number }) => `http://127.0.0.1:${server.port}`;
const texts = (result: any) => (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

describe('bring-your-own npm servers (stdio bridge)', function () {
  this.timeout(240_000);
  let forge: ForgeHandle;
  let cacheDir: string;
  const clients: Client[] = [];
  const open = async (server: { port: number }, transport: 'streamable' | 'sse' = 'streamable') => {
    const client = await connect(childUrl(server), transport);
    clients.push(client);
    return client;
  };

  /** create_server with the time an install and build take on a busy machine, and its progress messages. */
  const create = async (args: Record<string, unknown>) => {
    const progress: string[] = [];
    const result = await forge.client.callTool({ name: 'create_server', arguments: args }, undefined, {
      timeout: 230_000,
      onprogress: (p) => progress.push(p.message ?? ''),
    });
    return { ...(result.structuredContent as any), progress };
  };

  before(async () => {
    forge = await startForge({ children: { ready_timeout_s: 20 } });
    cacheDir = path.join(forge.config.storage.data_dir, 'npm-cache');
  });
  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await forge?.stop();
  });

  let memory: any;
  it('runs server-memory with one knowledge graph shared by sessions over both transports', async () => {
    // Its default file is inside the package, on the read-only root: point it at the tmpfs.
    const created = await create({ name: 'mem', source: { npm: MEMORY, env: { MEMORY_FILE_PATH: '/tmp/memory.jsonl' } } });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    memory = created.server;
    expect(created.progress).to.include('installing @modelcontextprotocol/server-memory@2026.8.31');
    expect(memory.source.env).to.deep.equal(['MEMORY_FILE_PATH']);
    expect(memory.source).to.include({ type: 'npm', package: '@modelcontextprotocol/server-memory', version: '2026.8.31', requested: '2026.8.31' });
    const a = await open(memory, 'streamable');
    const b = await open(memory, 'sse');
    expect(a.getServerVersion()?.name).to.match(/memory/i);
    const made = await a.callTool({ name: 'create_entities', arguments: { entities: [{ name: 'forge-test', entityType: 'thing', observations: ['made in session a'] }] } });
    expect(made.isError, texts(made)).to.not.equal(true);
    const graph = await b.callTool({ name: 'read_graph', arguments: {} });
    expect(texts(graph)).to.include('made in session a');
  });

  it('a second create of the same package and version installs nothing and builds nothing', async () => {
    const cachedBefore = await readdir(cacheDir);
    const imageBefore = await docker.getImage(memory.image).inspect();
    const again = await create({ name: 'mem2', source: { npm: '@modelcontextprotocol/server-memory@~2026.8.0' } });
    expect(again.status, JSON.stringify(again)).to.equal('success');
    expect(again.server.source.requested).to.equal('~2026.8.0');
    expect(again.server.source.version).to.equal('2026.8.31');
    expect(again.server.image).to.equal(memory.image);
    expect(again.progress).to.include('using cached @modelcontextprotocol/server-memory@2026.8.31');
    expect(again.progress.filter((m: string) => /^installing|^Step \d/.test(m))).to.deep.equal([]);
    expect(await readdir(cacheDir)).to.deep.equal(cachedBefore);
    expect((await docker.getImage(again.server.image).inspect()).Created).to.equal(imageBefore.Created);
    const info = await forge.client.readResource({ uri: `servers://${again.server.id}/info` });
    expect(JSON.parse((info.contents[0] as { text: string }).text).source.version).to.equal('2026.8.31');
    await forge.call('delete_server', { server_id: again.server.id });
  });

  it('restarts an npm child cleanly: the bridge initializes its server again and serves new sessions', async () => {
    const restarted = await forge.call('restart_server', { server_id: memory.id });
    expect(restarted.status, JSON.stringify(restarted)).to.equal('success');
    const client = await open(memory);
    const graph = await client.callTool({ name: 'read_graph', arguments: {} });
    expect(graph.isError).to.not.equal(true);
    const logs = await forge.call('get_server_logs', { server_id: memory.id, max_lines: 50 });
    expect(JSON.stringify(logs)).to.include('stdio server initialized');
  });

  it('serves server-everything: tools, resources, prompts, progress, and sampling forwarded or refused', async () => {
    const created = await create({ name: 'everything', source: { npm: EVERYTHING } });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    const client = new Client({ name: 'sampler', version: '1.0.0' }, { capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({ model: 'test-model', role: 'assistant', content: { type: 'text', text: 'sampled by the test' } }));
    await client.connect(new StreamableHTTPClientTransport(new URL(`${childUrl(created.server)}/mcp`)));
    clients.push(client);
    expect(client.getServerVersion()?.name).to.match(/everything/i);

    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).to.include.members(['echo', 'get-sum', 'trigger-long-running-operation', 'trigger-sampling-request']);
    expect(texts(await client.callTool({ name: 'echo', arguments: { message: 'through the bridge' } }))).to.include('through the bridge');
    expect(texts(await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 40 } }))).to.include('42');

    const resources = (await client.listResources()).resources;
    expect(resources.length).to.be.greaterThan(0);
    const read = await client.readResource({ uri: resources[0]!.uri });
    expect(read.contents.length).to.be.greaterThan(0);
    const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
    expect(prompts).to.include('simple-prompt');
    const prompt = await client.getPrompt({ name: 'simple-prompt' });
    expect(prompt.messages.length).to.be.greaterThan(0);

    const progress: number[] = [];
    await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 2 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(progress.length).to.be.greaterThan(0);

    const sampled = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } });
    expect(texts(sampled)).to.include('sampled by the test');

    // A client that did not declare sampling gets the bridge's refusal back through the server.
    const plain = await open(created.server);
    const refused = await plain.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } }).catch((err: Error) => ({ content: [{ text: err.message }], isError: true }));
    expect(texts(refused)).to.match(/did not declare the sampling capability/);
  });

  const leftovers = async () => ({
    servers: forge.forge.registry.list().map((s) => s.name),
    halfMade: (await readdir(cacheDir).catch(() => [] as string[])).filter((e) => e.startsWith('.tmp-')),
  });
  const refusal = async (args: Record<string, unknown>) => {
    const before = await leftovers();
    const result = await create(args);
    expect(result.status, JSON.stringify(result)).to.equal('error');
    expect(await leftovers()).to.deep.equal(before);
    return result.error as { code: string; message: string };
  };

  it('refuses a package that does not exist, leaving nothing behind', async () => {
    const error = await refusal({ name: 'nope', source: { npm: '@modelcontextprotocol/no-such-package-mcp-forge@1.0.0' } });
    expect(error.code).to.equal('invalid_request');
    expect(error.message).to.match(/does not exist/);
  });

  it('refuses a version that does not resolve', async () => {
    const error = await refusal({ name: 'nover', source: { npm: '@modelcontextprotocol/server-memory@^99.0.0' } });
    expect(error.message).to.match(/no version of @modelcontextprotocol\/server-memory matches "\^99.0.0"/);
  });

  it('refuses names and versions npm would not accept, and dist-tags', async () => {
    expect((await refusal({ source: { npm: 'Bad Name@1.0.0' } })).message).to.match(/not a valid npm package name/);
    expect((await refusal({ source: { npm: 'left-pad@latest' } })).message).to.match(/not a semver version or range/);
    expect((await refusal({ source: { npm: 'left-pad' } })).message).to.match(/<package>@<version>/);
    expect((await refusal({ source: { npm: MEMORY }, capabilities: ['echo'] })).message).to.match(/cannot be combined with source/);
  });

  it('reports a failed install with npm output and no cache folder', async () => {
    // fsevents installs only on macOS: npm refuses it here (EBADPLATFORM) after resolving it.
    const error = await refusal({ name: 'badinstall', source: { npm: 'fsevents@2.3.3' } });
    expect(error.message).to.match(/npm install of fsevents@2.3.3 failed/);
    expect(error.message).to.match(/EBADPLATFORM|Unsupported platform/);
    expect((await readdir(cacheDir)).filter((e) => e.startsWith('fsevents'))).to.deep.equal([]);
  });

  it('reports a stdio server that exits at once with its last stderr lines, leaving no entry or container', async () => {
    // semver's bin prints its usage and exits: not a long-running MCP server.
    const error = await refusal({ name: 'exits', source: { npm: 'semver@7.7.2', args: ['--no-such-flag'] } });
    expect(error.code).to.equal('server_error');
    expect(error.message).to.match(/did not become ready/);
    expect(error.message).to.match(/stdio server exited/);
    const containers = await docker.listContainers({ all: true, filters: { name: ['mcp-forge-exits'] } });
    expect(containers).to.have.length(0);
  });
});
