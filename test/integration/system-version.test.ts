import { expect } from 'chai';
import { API_VERSION, FORGE_VERSION } from '../../src/version.js';
import { docker } from '../support/docker-leaks.js';
import { startForge, type ForgeHandle } from '../support/forge-fixture.js';

describe('system://version', () => {
  let h: ForgeHandle;
  before(async () => {
    h = await startForge();
  });
  after(async () => h?.stop());

  it('gives the forge, API, Node and Docker engine versions', async () => {
    const listed = (await h.client.listResources()).resources.find((r) => r.uri === 'system://version');
    expect(listed).to.include({ mimeType: 'application/json' });
    const read = await h.client.readResource({ uri: 'system://version' });
    const engine = await docker.version();
    expect(JSON.parse((read.contents[0] as { text: string }).text)).to.deep.equal({
      name: 'mcp-forge',
      version: FORGE_VERSION,
      api_version: API_VERSION,
      node_version: process.version,
      docker: { version: engine.Version, api_version: engine.ApiVersion, os: engine.Os, arch: engine.Arch },
    });
    expect(API_VERSION).to.equal('1.0');
  });
});
