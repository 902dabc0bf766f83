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
