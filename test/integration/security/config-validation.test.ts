import { expect } from 'chai';
import { Forge } from '../../../src/forge.js';
import { docker } from '../../support/docker-leaks.js';
import { startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { RUN_ID, TEST_LABEL, testConfig } from '../../support/test-env.js';

describe('set_config refuses dangerous values with invalid_request, and start-up refuses a foreign network', function () {
  let h: ForgeHandle;
  const foreign = `foreign-${RUN_ID}`;
  before(async () => {
    // A network the forge did not create (only the run's label, so the leak check knows it).
    await docker.createNetwork({ Name: foreign, Labels: { [TEST_LABEL]: RUN_ID } });
    h = await startForge();
  });
  after(async () => {
    await h?.stop();
    await docker.getNetwork(foreign).remove().catch(() => undefined);
  });

  const refused = async (section: string, key: string, value: unknown, pattern: RegExp) => {
    const result = await h.call('set_config', { section, key, value });
    expect(result.status, `${section}.${key}=${JSON.stringify(value)}`).to.equal('error');
    expect(result.error.code).to.equal('invalid_request');
    expect(result.error.message).to.match(pattern);
  };

  it('image references: malformed, or outside the forge\'s own repositories', async () => {
    await refused('images', 'child_base', 'nginx:latest', /images.child_base.*mcp-forge/);
    await refused('images', 'child_base', 'bad ref', /images\/child_base/);
    await refused('images', 'child_repository', 'library/alpine', /images.child_repository.*mcp-forge/);
    await refused('images', 'local_node_base', 'node:20', /images.local_node_base.*mcp-forge/);
  });

  it('children.network: host, none, bridge, and a network the forge did not create', async () => {
    for (const network of ['host', 'none', 'bridge']) await refused('children', 'network', network, /children.network/);
    await refused('children', 'network', foreign, new RegExp(`${foreign}.*not created by MCP-Forge`));
  });

  it('templates.dir outside the allowed folders; templates.allowed_dirs only in the config file or environment', async () => {
    await refused('templates', 'dir', '/etc', /templates.dir/);
    await refused('templates', 'allowed_dirs', ['/'], /cannot be changed at run time/);
  });

  it('a forge configured with a network it did not create does not start', async () => {
    const config = testConfig({ children: { network: foreign } });
    let error: Error | undefined;
    await Forge.start(config).then(
      (f) => f.stop(),
      (err: Error) => (error = err),
    );
    expect(error?.message).to.match(new RegExp(`children.network "${foreign}" .*not created by MCP-Forge`));
  });
});
