import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { expect } from 'chai';
import fc from 'fast-check';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { until } from '../../support/poll.js';
import { RUN_ID } from '../../support/test-env.js';
import { arbitraryFromSchema, type Schema } from '../../support/schema-arbitrary.js';

const RUNS = 1000;
const CODES = ['invalid_request', 'not_found', 'server_error', 'invalid_id', 'server_not_running', 'limit_exceeded', 'forbidden'];

/** Strings an attacker would try: traversal, template and code syntax, control characters, unicode, sheer size. */
const hostile = fc.oneof(
  fc.constantFrom(
    '../../../../etc/passwd', '/var/run/docker.sock', '{{ 7*7 }}', '{% include "/etc/passwd" %}', '${process.exit(1)}',
    '`rm -rf /`', "'; DROP TABLE servers; --", 'mcp-20250404-abc123\u0000', '\r\nHost: evil', '<script>alert(1)</script>',
    'mcp-forge-x; docker rm -f $(docker ps -aq)', '%2e%2e%2f', 'échoー🔥', '\u202e', ' ', '',
  ),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
);
/** Sizes around and past server.max_body_bytes (1 MiB), one at a time to keep the test's own memory small. */
const huge = fc.integer({ min: 1000, max: 1_500_000 }).map((n) => 'x'.repeat(n));
const value: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  hostile,
  huge,
  fc.anything({ maxDepth: 4, maxKeys: 6, withBigInt: false }),
  fc.array(hostile, { maxLength: 40 }),
  fc.dictionary(hostile, hostile, { maxKeys: 5 }),
);
const argsFor = (keys: string[]) =>
  fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 20 })), value, { maxKeys: 6 }),
    fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }),
  );

/** Valid calls that act on the victim's container (slow: a stop, start or build each) are capped per tool. */
const ACTS_ON_CONTAINERS = new Set(['start_server', 'stop_server', 'restart_server', 'delete_server', 'create_server', 'set_resource_limit']);
const CONTAINER_CALLS_PER_TOOL = 3;
/** Other valid calls aimed at the test's servers (each reads Docker: logs, stats) are capped per tool too. */
const REAL_CALLS_PER_TOOL = 40;
const NOWHERE = 'mcp-20990101-zzzzzz';
// Container names are global on the daemon: unique per run, as parallel checkouts share it.
const TAG = RUN_ID.slice(-8);
const KEEPER = `fuzz-keeper-${TAG}`;

/**
 * manage_auto_scaling's parameters per action (docs/api.md): a call passing a parameter its action
 * does not use is refused, so valid calls are drawn per action to reach each action's real work.
 */
const SCALING_PARAMS: Record<string, { required: string[]; optional: string[] }> = {
  create_group: { required: [], optional: ['min_instances', 'max_instances', 'server_ids'] },
  delete_group: { required: [], optional: [] },
  add_server: { required: ['server_ids'], optional: [] },
  remove_server: { required: ['server_ids'], optional: [] },
  add_rule: { required: ['rule_name', 'metric', 'threshold', 'rule_action'], optional: ['cooldown'] },
  remove_rule: { required: ['rule_name'], optional: [] },
  update_group: { required: [], optional: ['min_instances', 'max_instances'] },
  update_rule: { required: ['rule_name'], optional: ['metric', 'threshold', 'rule_action', 'cooldown'] },
};
const perAction = (schema: Schema, overrides: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof(
    ...Object.entries(SCALING_PARAMS).map(([action, { required, optional }]) =>
      arbitraryFromSchema(
        {
          ...schema,
          properties: Object.fromEntries(['group_name', ...required, ...optional].map((k) => [k, schema.properties![k]!]).concat([['action', { const: action }]])),
          required: ['action', 'group_name', ...required],
        },
        overrides,
      ),
    ),
  );

describe('fuzz: hostile, malformed and schema-valid calls to every tool', function () {
  this.timeout(900_000);
  let h: ForgeHandle;
  let keeper: any;
  let victim: any;
  const tally = { tried: 0, valid: 0, succeeded: 0, failed: 0 };
  const dataFile = (name: string) => {
    try {
      return readFileSync(path.join(h.config.storage.data_dir, name), 'utf8');
    } catch {
      return '';
    }
  };
  /** What the forge keeps: its registry (servers, groups) and its saved settings. */
  const state = () => `${dataFile('registry.json')}\n${dataFile('config.json')}`;
  /** What a failed container action may not change: which servers and groups exist (it may record its error on the server). */
  const inventory = () => {
    const data = JSON.parse(dataFile('registry.json'));
    return JSON.stringify({ servers: data.servers.map((r: any) => [r.id, r.name, r.capabilities, r.phase]), groups: data.groups, config: dataFile('config.json') });
  };
  const keeperRecord = () => JSON.stringify(JSON.parse(dataFile('registry.json')).servers.find((s: any) => s.id === keeper.id));
  /** Background writes a container action sets off (Docker events the monitor records) have landed. */
  const settled = async () => {
    let last = state();
    let same = 0;
    await until('the registry to settle', async () => {
      const now = state();
      same = now === last ? same + 1 : 0;
      last = now;
      return same >= 3 ? true : undefined;
    }, 60_000, 150);
  };

  /** One call; a body over server.max_body_bytes is refused with 413 before MCP, which is a well-formed answer too. */
  async function answer(name: string, args: unknown, client: Client = h.client) {
    tally.tried++;
    try {
      return await client.callTool({ name, arguments: args as Record<string, unknown> });
    } catch (err) {
      const refused = /exceeds the limit/.test((err as Error).message);
      if (!refused) tally.failed++;
      expect(refused, `${name}: ${(err as Error).message.slice(0, 300)}`).to.equal(true);
      return 'refused' as const;
    }
  }

  const ensureVictim = async () => {
    if (victim && h.forge.registry.get(victim.id)) return;
    const created = await h.call('create_server', { name: `fuzz-victim-${TAG}-${tally.tried}`, capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    victim = created.server;
  };

  before(async () => {
    h = await startForge({
      quotas: { creates_per_minute_per_token: null, max_servers: null, max_running: null, max_servers_per_token: null },
      // Groups the fuzz makes must not grow in the background: the scaler stays off.
      scaling: { enabled: false },
      // The forge's own tools are fuzzed; the children's tools through the gateway have their own tests.
      gateway: { include_children: false },
    });
    const made = await h.call('create_server', { name: KEEPER, capabilities: ['echo'] });
    expect(made.status, JSON.stringify(made)).to.equal('success');
    keeper = made.server;
  });
  after(async () => {
    const share = tally.tried ? Math.round((100 * tally.valid) / tally.tried) : 0;
    console.log(`      fuzz: ${tally.tried} calls tried (${tally.valid} schema-valid, ${share}%; ${tally.succeeded} succeeded), ${tally.failed} answered badly`);
    await h?.stop();
  });

  it('every tool answers each of 1,000 calls (mostly schema-valid) well-formed, and state changes only when a call succeeded', async () => {
    // FUZZ_TOOLS=a,b narrows a run to some tools (to try a change quickly); the suite runs them all.
    const only = process.env.FUZZ_TOOLS?.split(',');
    const tools = (await h.client.listTools()).tools.filter((t) => !only || only.includes(t.name));
    const ajv = new Ajv({ strict: false });
    const config = (await h.call('get_config')).config;
    // set_config last: what it sets may slow every call after it.
    tools.sort((a, b) => Number(a.name === 'set_config') - Number(b.name === 'set_config'));
    for (const tool of tools) {
      await ensureVictim();
      // A fresh session per tool: the SDK client keeps the handler (and arguments) of every request refused with 413, for good.
      const client = await connect(h.forge.url);
      const accepts = ajv.compile(tool.inputSchema);
      const readOnly = tool.annotations?.readOnlyHint === true;
      const keys = Object.keys(tool.inputSchema.properties ?? {});
      const props = (tool.inputSchema.properties ?? {}) as Record<string, Schema>;
      // Valid arguments aimed at real things: servers the test made (only the victim for calls that may change it),
      // one group name, real config keys of sections whose change cannot cut the test off its forge.
      const targets = readOnly ? [keeper.id, keeper.name, victim.id, victim.name] : [victim.id, victim.name];
      const real = (arb: fc.Arbitrary<unknown>, schema: Schema | undefined) =>
        schema ? fc.oneof({ weight: 1, arbitrary: arb }, { weight: 2, arbitrary: arbitraryFromSchema(schema) }) : arb;
      const sections = ['monitor', 'quotas', 'resources'];
      const overrides = {
        server_id: real(fc.constantFrom(...targets), props.server_id),
        server_ids: fc.oneof(
          fc.uniqueArray(fc.constantFrom(...targets), { minLength: 1, maxLength: 2 }),
          fc.uniqueArray(fc.oneof(fc.constantFrom(...targets), fc.string({ minLength: 1, maxLength: 20 })), { minLength: 1, maxLength: 3 }),
        ),
        group_name: real(fc.constant('fuzz-group'), props.group_name),
        rule_name: real(fc.constant('fuzz-rule'), props.rule_name),
        ...(tool.name === 'set_config'
          ? { section: fc.constantFrom(...sections), key: fc.constantFrom(...sections.flatMap((s) => Object.keys(config[s] ?? {})), 'no_such_key') }
          : {}),
      };
      const valid = tool.name === 'manage_auto_scaling' ? perAction(tool.inputSchema as Schema, overrides) : arbitraryFromSchema(tool.inputSchema as Schema, overrides);
      const realCalls = { containers: 0, reads: 0 };
      const toolStarted = Date.now();
      await fc.assert(
        fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: argsFor(keys.length ? keys : ['x']) }), async (raw) => {
          // Judged as sent: JSON drops undefined values, so {"": undefined} arrives as a valid {}.
          let args = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
          const isValid = accepts(args);
          // Valid calls aimed at the test's servers are capped per tool (Docker work is slow); past a cap,
          // the same valid call is aimed nowhere (create_server: at an unknown capability).
          const real = isValid && (tool.name === 'create_server' || targets.includes(args.server_id as string));
          let aimed = false;
          if (real && ACTS_ON_CONTAINERS.has(tool.name)) {
            aimed = realCalls.containers++ < CONTAINER_CALLS_PER_TOOL;
            if (!aimed) {
              args = tool.name === 'create_server' ? { ...args, capabilities: ['no_such_capability'] } : { ...args, server_id: NOWHERE };
            } else if (tool.name === 'create_server') {
              args = { ...args, name: `fuzz-made-${TAG}-${realCalls.containers}`, capabilities: ['echo'] };
              delete args.handlers;
              delete args.options;
            }
          } else if (real && realCalls.reads++ >= REAL_CALLS_PER_TOOL) {
            args = { ...args, server_id: NOWHERE };
          }
          if (isValid) tally.valid++;
          const before = aimed ? inventory() : state();
          const result = await answer(tool.name, args, client);
          if (result === 'refused') {
            expect(state(), `${tool.name} refused with 413 changed state`).to.equal(before);
            return;
          }
          const body = result.structuredContent as any;
          const text = JSON.parse((result.content as Array<{ text: string }>)[0]!.text);
          const succeeded = body.status === 'success' || body.status === 'warning';
          const ok =
            JSON.stringify(text) === JSON.stringify(body) &&
            (body.status === 'error'
              ? result.isError === true && CODES.includes(body.error?.code) && typeof body.error.message === 'string' && Object.keys(body).length === 2
              : succeeded && result.isError !== true);
          const what = `${tool.name} ${JSON.stringify(args).slice(0, 300)} → ${JSON.stringify(body).slice(0, 300)}`;
          if (!ok) tally.failed++;
          expect(ok, what).to.equal(true);
          if (succeeded) tally.succeeded++;
          if (aimed) await settled();
          if (succeeded && !readOnly) return;
          const after = aimed ? inventory() : state();
          if (after !== before) tally.failed++;
          expect(after, `state changed by a call that ${succeeded ? 'only reads' : 'failed'}: ${what}`).to.equal(before);
        }),
        { numRuns: RUNS },
      );
      if (process.env.FUZZ_VERBOSE) console.log(`      ${tool.name}: ${tally.tried} tried, ${tally.succeeded} succeeded so far, ${Date.now() - toolStarted} ms`);
      await (client.transport as StreamableHTTPClientTransport).terminateSession();
      await client.close();
    }
    expect(tally.valid, 'schema-valid calls').to.be.above(tally.tried / 2);
    expect(h.forge.registry.get(keeper.id), 'the keeper, only ever read').to.deep.include({ name: KEEPER, status: 'running' });
  });

  it('unknown tool names and JSON-RPC garbage never crash the forge or yield a 5xx', async () => {
    const registryBefore = dataFile('registry.json');
    const keeperBefore = keeperRecord();
    await fc.assert(
      fc.asyncProperty(hostile, value, async (name, args) => {
        const result = await answer(`zz-${name}`, { v: args });
        if (result !== 'refused') expect((result.structuredContent as any).error.code).to.equal('invalid_request');
      }),
      { numRuns: 200 },
    );
    const garbage = fc.oneof(
      fc.string({ maxLength: 500 }),
      fc.json().map((j) => j),
      fc.record({ jsonrpc: fc.constantFrom('2.0', '1.0', 2), id: value, method: hostile, params: value }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(garbage, fc.boolean(), async (body, withSession) => {
        tally.tried++;
        const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
        if (withSession) headers['mcp-session-id'] = (h.client as any)._transport.sessionId;
        const res = await fetch(`${h.forge.url}/mcp`, { method: 'POST', headers, body });
        await res.body?.cancel();
        if (res.status >= 500) tally.failed++;
        expect(res.status, `${res.status} for ${body.slice(0, 200)}`).to.be.below(500);
      }),
      { numRuns: 500 },
    );
    expect((await fetch(`${h.forge.url}/healthz`)).status).to.equal(200);
    expect(dataFile('registry.json')).to.equal(registryBefore);
    expect(keeperRecord()).to.equal(keeperBefore);
    expect((await h.call('list_servers')).servers.map((s: any) => s.name)).to.include(KEEPER);
  });
});
