import { expect } from 'chai';
import { withEnvValue } from '../../src/images/compose-env.js';

describe('the .env line npm run images keeps for Compose', () => {
  it('appends the key to an empty or key-less file', () => {
    expect(withEnvValue('', 'NODE_BASE', 'mcp-forge/node-base:20-local')).to.equal('NODE_BASE=mcp-forge/node-base:20-local\n');
    expect(withEnvValue('FORGE_PUBLISH_PORT=9100', 'NODE_BASE', 'node:20')).to.equal('FORGE_PUBLISH_PORT=9100\nNODE_BASE=node:20\n');
  });

  it('replaces the key in place and keeps every other line', () => {
    const before = '# mine\nNODE_BASE=old:1\nNODE_BASE_EXTRA=x\n\nFORGE_LOG_LEVEL=debug\n';
    expect(withEnvValue(before, 'NODE_BASE', 'new:2')).to.equal('# mine\nNODE_BASE=new:2\nNODE_BASE_EXTRA=x\n\nFORGE_LOG_LEVEL=debug\n');
    expect(withEnvValue('export NODE_BASE = old\n', 'NODE_BASE', 'new')).to.equal('NODE_BASE=new\n');
  });
});

describe('compose .env token', () => {
  it('writes a random FORGE_AUTH_TOKEN once and never replaces one', async () => {
    const { mkdtemp, readFile, writeFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { ensureComposeToken, envValue } = await import('../../src/images/compose-env.js');
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'env-')), '.env');
    await writeFile(file, 'NODE_BASE=x\n');
    expect(await ensureComposeToken(file)).to.equal(true);
    const token = envValue(await readFile(file, 'utf8'), 'FORGE_AUTH_TOKEN');
    expect(token).to.match(/^[A-Za-z0-9_-]{32}$/);
    expect(await ensureComposeToken(file)).to.equal(false);
    expect(await readFile(file, 'utf8')).to.equal(`NODE_BASE=x\nFORGE_AUTH_TOKEN=${token}\n`);
  });
});
