import { expect } from 'chai';
import { scryptSync } from 'node:crypto';
import { issueCredentials } from '../../src/servers/basic-credentials.js';

describe('basic credentials', () => {
  it('issues a random password once and stores only a salted scrypt hash of it', async () => {
    const { issued, stored } = await issueCredentials('srv-1');
    expect(issued.username).to.equal('srv-1');
    expect(Buffer.from(issued.authorization.replace(/^Basic /, ''), 'base64').toString()).to.equal(`srv-1:${issued.password}`);
    expect(stored).to.not.have.property('password');
    expect(stored.hash).to.not.contain(issued.password);
    const [scheme, n, r, p, salt, key] = stored.hash.split('$');
    expect([scheme, n, r, p]).to.deep.equal(['scrypt', '16384', '8', '1']);
    const derived = scryptSync(issued.password, Buffer.from(salt!, 'base64'), 32, { N: 16384, r: 8, p: 1 });
    expect(derived.toString('base64')).to.equal(key);
    expect(scryptSync('wrong', Buffer.from(salt!, 'base64'), 32, { N: 16384, r: 8, p: 1 }).toString('base64')).to.not.equal(key);
  });

  it('never issues the same password or salt twice', async () => {
    const [a, b] = await Promise.all([issueCredentials('s'), issueCredentials('s')]);
    expect(a.issued.password).to.not.equal(b.issued.password);
    expect(a.stored.hash.split('$')[4]).to.not.equal(b.stored.hash.split('$')[4]);
  });
});
