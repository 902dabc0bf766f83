import { expect } from 'chai';
import { startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { runCli } from '../../support/run-cli.js';

const ADMIN = 'cli-admin-token-0123456789';
const READER = 'cli-read-token-0123456789';

describe('mcp-forge CLI against a forge that requires tokens', function () {
  let h: ForgeHandle;
  before(async () => {
    h = await startForge({ auth: { admin_token: ADMIN, tokens: [{ name: 'viewer', token: READER, role: 'read' }] } });
  });
  after(async () => h?.stop());

  it('without a token: exit 1 and an unauthorized error that says how to pass one', async () => {
    const run = await runCli(['--url', h.forge.url, 'list']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/^error: unauthorized: .* needs a bearer token: pass --token or set MCP_FORGE_TOKEN\n$/);
  });

  it('a wrong token is refused the same way', async () => {
    const run = await runCli(['--url', h.forge.url, '--token', 'wrong-token-0123456789', 'list']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('(the one given was refused)');
  });

  it('takes the token from --token or from MCP_FORGE_TOKEN', async () => {
    const flag = await runCli(['--url', h.forge.url, '--token', ADMIN, '--json', 'list']);
    expect(flag.code, flag.stderr).to.equal(0);
    expect(flag.json()).to.include({ status: 'success' });
    const env = await runCli(['--url', h.forge.url, '--json', 'list'], { MCP_FORGE_TOKEN: ADMIN });
    expect(env.code, env.stderr).to.equal(0);
  });

  it('a read token can list but gets forbidden on create', async () => {
    expect((await runCli(['--url', h.forge.url, 'list'], { MCP_FORGE_TOKEN: READER })).code).to.equal(0);
    const run = await runCli(['--url', h.forge.url, 'create', 'name=nope'], { MCP_FORGE_TOKEN: READER });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.equal('error: forbidden: token "viewer" has the read role; create_server needs admin\n');
  });

  it('never sends the forge token to a child', async () => {
    const run = await runCli(['--port', '9', '--token', ADMIN, 'tools']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('--token is for the forge');
  });
});
