import { expect } from 'chai';
import { REDACTED, redactSecrets } from '../../../src/config/redact.js';

describe('secret redaction', () => {
  it('hides values of token, secret and password keys at any depth, and keeps the input intact', () => {
    const input = {
      auth: { tokens: ['abc', 'def'], enabled: true, admin_password: 'pw' },
      docker: { extra_labels: { 'my.secret': 'x', plain: 'y' } },
      list: [{ api_key: 'k' }],
    };
    expect(redactSecrets(input)).to.deep.equal({
      auth: { tokens: REDACTED, enabled: true, admin_password: REDACTED },
      docker: { extra_labels: { 'my.secret': REDACTED, plain: 'y' } },
      list: [{ api_key: REDACTED }],
    });
    expect(input.auth.tokens).to.deep.equal(['abc', 'def']);
  });

  it('shows that a secret is unset', () => {
    expect(redactSecrets({ token: null, tokens: [], secret: '' })).to.deep.equal({ token: null, tokens: [], secret: '' });
  });
});
