import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError } from '../../../src/config/load-config.js';
import { ForgeError } from '../../../src/errors/forge-error.js';
import { AuditLog } from '../../../src/security/audit-log.js';
import { callerOf, toAuthInfo } from '../../../src/security/caller.js';
import { testConfig } from '../../support/test-env.js';

describe('callers, reserved token names, audit entry size', () => {
  it('a request without auth info is refused, never treated as admin', () => {
    expect(() => callerOf(undefined)).to.throw(ForgeError, /authentication/).with.property('code', 'unauthorized');
    expect(callerOf(toAuthInfo({ name: 'anonymous', role: 'admin' }))).to.deep.equal({ name: 'anonymous', role: 'admin' });
    expect(callerOf(toAuthInfo({ name: 'viewer', role: 'read' }))).to.deep.equal({ name: 'viewer', role: 'read' });
    // Scopes the forge does not know give no rights.
    expect(() => callerOf({ token: 'x', clientId: 'odd', scopes: ['root'] })).to.throw(ForgeError);
  });

  for (const name of ['admin', 'anonymous', 'Admin']) {
    it(`the token name "${name}" is reserved`, () => {
      expect(() => testConfig({ auth: { tokens: [{ name, token: 'a-long-enough-token-0123', role: 'read' }] } })).to.throw(ConfigError, /reserved/);
    });
  }

  it('caps an audit entry in size, keeping who did what', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-audit-'));
    const audit = new AuditLog(dir, () => ({ max_bytes: 10_000_000, max_files: 2 }));
    const huge = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, Object.fromEntries(Array.from({ length: 40 }, (_, j) => [`j${j}`, 'v'.repeat(200)]))]));
    audit.record({ actor: 'admin', role: 'admin', action: 'x'.repeat(5000), arguments: huge, status: 'error', code: 'invalid_request', message: 'm'.repeat(100_000), ms: 1 });
    const line = readFileSync(path.join(dir, 'audit.log'), 'utf8');
    expect(Buffer.byteLength(line)).to.be.at.most(8192);
    const [entry] = audit.tail(1);
    expect(entry).to.include({ actor: 'admin', status: 'error', code: 'invalid_request' });
    expect(entry!.arguments).to.match(/^\[omitted: \d+ bytes\]$/);
  });
});
