import { expect } from 'chai';
import { configSchema } from '../../../src/config/config-schema.js';
import { REDACTED, redact } from '../../../src/security/redact.js';
import { digestOf, digestSecrets } from '../../../src/security/secret-digest.js';

describe('secret redaction (the one redactor)', () => {
  it('without a schema hides values of token, secret and password keys at any depth, and keeps the input intact', () => {
    const input = {
      auth: { tokens: ['abc', 'def'], enabled: true, admin_password: 'pw' },
      docker: { extra_labels: { 'my.secret': 'x', plain: 'y' } },
      list: [{ api_key: 'k' }],
    };
    expect(redact(input)).to.deep.equal({
      auth: { tokens: REDACTED, enabled: true, admin_password: REDACTED },
      docker: { extra_labels: { 'my.secret': REDACTED, plain: 'y' } },
      list: [{ api_key: REDACTED }],
    });
    expect(input.auth.tokens).to.deep.equal(['abc', 'def']);
  });

  it('shows that a secret is unset', () => {
    expect(redact({ token: null, tokens: [], secret: '' })).to.deep.equal({ token: null, tokens: [], secret: '' });
  });

  it('with the config schema hides exactly the keys it marks secret, inside arrays too, and nothing that only sounds secret', () => {
    const config = {
      auth: { admin_token: 'a-secret-admin-token', tokens: [{ name: 'ci', token: 'a-secret-ci-token-123', role: 'read' }], metrics_public: false },
      quotas: { max_servers_per_token: 5, creates_per_minute_per_token: 60 },
      docker: { extra_labels: { 'my.secret': 'x', plain: 'y' } },
    };
    expect(redact(config, { schema: configSchema, bound: false })).to.deep.equal({
      auth: { admin_token: REDACTED, tokens: [{ name: 'ci', token: REDACTED, role: 'read' }], metrics_public: false },
      quotas: { max_servers_per_token: 5, creates_per_minute_per_token: 60 },
      docker: { extra_labels: { 'my.secret': REDACTED, plain: 'y' } },
    });
  });

  it('bounds records: long strings, long lists, many keys and deep nesting', () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
    const out = redact({ s: 'x'.repeat(1000), list: Array.from({ length: 60 }, () => 1), many }) as any;
    expect(out.s).to.have.length.below(300);
    expect(out.list).to.have.length(51);
    expect(Object.keys(out.many)).to.have.length(51);
    let deep: any = 'bottom';
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(JSON.stringify(redact(deep))).to.contain('[nested]').and.not.contain('bottom');
  });

  it('digests exactly the secrets the schema keeps as digests, once', () => {
    const saved = { auth: { admin_token: 'plain-admin-token-0123', tokens: [{ name: 'ci', token: 'plain-ci-token-0123456', role: 'read' }] }, server: { log_level: 'debug' } };
    const digested = digestSecrets(saved, configSchema);
    expect(digested.auth.admin_token).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(digested.auth.tokens[0]).to.deep.equal({ name: 'ci', token: digestOf('plain-ci-token-0123456'), role: 'read' });
    expect(digested.server).to.deep.equal({ log_level: 'debug' });
    expect(digestSecrets(digested, configSchema)).to.deep.equal(digested);
  });
});
