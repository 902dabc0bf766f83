import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { createLogger } from '../../../src/logging/logger.js';
import { configuredTokens, matchToken } from '../../../src/security/bearer-auth.js';
import { call, connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { testConfig } from '../../support/test-env.js';
import { startForgeWith } from '../../support/forge-fixture.js';

const ROOT = 'root-admin-token-0123456789abcdef';
const READER = 'read-token-0123456789abcdef';
const NEW_ADMIN = 'NEW-ADMIN-SECRET-5f2a9c1e7d3b8a64';
const OPS = 'OPS-TOKEN-SECRET-8e1d4c7b2a9f6035';
const TYPO = 'TYPO-KEY-SECRET-3c6f9a2d5e8b1470';

/** Every regular file under `dir`, with its text. */
function filesUnder(dir: string): Array<[string, string]> {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [[file, readFileSync(file, 'latin1')] as [string, string]];
  });
}

/** What a read token can see: every read-only tool (called with no and with a bogus server id) and every resource. */
async function everythingReadable(reader: Client): Promise<string> {
  const seen: unknown[] = [];
  const readOnly = (await reader.listTools()).tools.filter((t) => t.annotations?.readOnlyHint === true);
  expect(readOnly.map((t) => t.name)).to.include.members(['get_audit_log', 'get_config']);
  for (const tool of readOnly) {
    seen.push(await reader.callTool({ name: tool.name, arguments: {} }));
    seen.push(await reader.callTool({ name: tool.name, arguments: { server_id: 'none' } }));
  }
  seen.push(await call(reader, 'get_audit_log', { max_lines: 1000 }));
  for (const [section, key] of [['auth', undefined], ['auth', 'admin_token'], ['auth', 'tokens']] as const) {
    seen.push(await call(reader, 'get_config', { section, ...(key ? { key } : {}) }));
  }
  for (const r of (await reader.listResources()).resources) seen.push(await reader.readResource({ uri: r.uri }).catch((e) => String(e)));
  return JSON.stringify(seen);
}

describe('secrets never leak to a read token, the logs or the data directory', function () {
  const logged: string[] = [];
  let h: ForgeHandle;
  let root: Client;
  before(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) });
    h = await startForge(
      { auth: { admin_token: null, tokens: [{ name: 'root', token: ROOT, role: 'admin' }, { name: 'viewer', token: READER, role: 'read' }] } },
      'streamable',
      { log: createLogger('trace', sink) },
    );
    root = await connect(h.forge.url, 'streamable', ROOT);
  });
  after(async () => {
    await root?.close();
    await h?.stop();
  });

  it('set_config of a secret is redacted everywhere a read token looks, in the logs and on disk, and the token still works', async () => {
    expect((await call(root, 'set_config', { section: 'auth', key: 'admin_token', value: NEW_ADMIN })).status).to.equal('success');
    const tokens = [{ name: 'root', token: ROOT, role: 'admin' }, { name: 'viewer', token: READER, role: 'read' }, { name: 'ops', token: OPS, role: 'admin' }];
    const set = await call(root, 'set_config', { section: 'auth', key: 'tokens', value: tokens });
    expect(set.status).to.equal('success');
    expect(JSON.stringify(set)).to.not.contain(OPS);
    // A mistyped key is refused, and its value is still not recorded.
    expect((await call(root, 'set_config', { section: 'auth', key: 'admin_tokn', value: TYPO })).status).to.equal('error');

    const reader = await connect(h.forge.url, 'streamable', READER);
    const seen = await everythingReadable(reader);
    await reader.close();
    for (const secret of [NEW_ADMIN, OPS, TYPO, ROOT, READER]) expect(seen, 'what the read token saw').to.not.contain(secret);
    const audit = JSON.parse(seen).find((s: any) => s?.entries)?.entries as Array<Record<string, any>>;
    expect(audit.some((e) => e.action === 'set_config' && e.arguments.key === 'admin_token' && e.arguments.value === '[redacted]')).to.equal(true);
    // Only the secret parts are hidden: names and roles stay readable.
    const auth = (await call(root, 'get_config', { section: 'auth', key: 'tokens' })).config.auth;
    expect(auth.tokens).to.deep.equal(tokens.map((t) => ({ ...t, token: '[redacted]' })));

    for (const [file, text] of filesUnder(h.config.storage.data_dir)) {
      for (const secret of [NEW_ADMIN, OPS, TYPO]) expect(text, `${file} holds a secret`).to.not.contain(secret);
    }
    expect(readFileSync(path.join(h.config.storage.data_dir, 'config.json'), 'utf8')).to.match(/"sha256:[0-9a-f]{64}"/);
    for (const secret of [NEW_ADMIN, OPS, TYPO, ROOT]) expect(logged.join(''), 'the log').to.not.contain(secret);

    // Stored as digests, the tokens still authenticate: now, and after a restart from the saved settings.
    for (const token of [NEW_ADMIN, OPS]) {
      const admin = await connect(h.forge.url, 'streamable', token);
      expect((await call(admin, 'list_servers')).status).to.equal('success');
      await admin.close();
    }
    const reloaded = loadConfig({ overrides: { storage: { data_dir: h.config.storage.data_dir } } });
    expect(matchToken(OPS, configuredTokens(reloaded.auth))).to.deep.equal({ name: 'ops', role: 'admin' });
    expect(matchToken(NEW_ADMIN, configuredTokens(reloaded.auth))).to.deep.equal({ name: 'admin', role: 'admin' });
    expect(matchToken(`${OPS}x`, configuredTokens(reloaded.auth))).to.equal(null);
  });
});

describe('secrets already on disk are scrubbed at start-up', function () {
  it('rewrites audit.log entries and saved settings that hold a secret in plain text', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-scrub-'));
    mkdirSync(path.join(dataDir, 'config-backups'));
    const entry = (value: unknown) =>
      JSON.stringify({ time: new Date().toISOString(), actor: 'admin', role: 'admin', action: 'set_config', arguments: { section: 'auth', key: 'admin_token', value }, status: 'success', ms: 1 });
    writeFileSync(path.join(dataDir, 'audit.log'), `${entry(NEW_ADMIN)}\n`);
    writeFileSync(path.join(dataDir, 'audit.log.1'), `${entry(OPS)}\n`);
    writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ auth: { tokens: [{ name: 'ops', token: OPS, role: 'admin' }] } }));
    writeFileSync(path.join(dataDir, 'config-backups', 'config.000001.2026-01-01T00-00-00-000Z.json'), JSON.stringify({ auth: { admin_token: NEW_ADMIN } }));
    const config = testConfig({ storage: { data_dir: dataDir } });
    const h = await startForgeWith(config);
    try {
      for (const [file, text] of filesUnder(dataDir)) {
        for (const secret of [NEW_ADMIN, OPS]) expect(text, `${file} holds a secret`).to.not.contain(secret);
      }
      const audit = (await h.call('get_audit_log', { max_lines: 10 })).entries as Array<Record<string, any>>;
      expect(audit.filter((e) => e.action === 'set_config').map((e) => e.arguments.value)).to.deep.equal(['[redacted]', '[redacted]']);
      const ops = await connect(h.forge.url, 'streamable', OPS);
      expect((await call(ops, 'list_servers')).status).to.equal('success');
      await ops.close();
    } finally {
      await h.stop();
    }
  });
});
