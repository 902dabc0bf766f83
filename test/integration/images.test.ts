import { expect } from 'chai';
import { call, connect, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';

const HOSTILE = 'Quotes \' " and `backticks` ${process.exit(1)} {{ 7*7 }} {% raw %}\nsecond line\r\n</script>';

describe('child images: content-addressed, shared, never shaped by user text', function () {
  let h: ForgeHandle;
  before(async () => {
    h = await startForge();
  });
  after(async () => h?.stop());

  const repoImages = async () => (await docker.listImages({ filters: { reference: [`${h.config.images.child_repository}:*`] } })).length;

  it('builds once per capability set: a second server with the same capabilities reuses the image', async () => {
    const first = await h.call('create_server', { name: 'img-plain', description: 'Plain description' });
    expect(first.status, JSON.stringify(first)).to.equal('success');
    const count = await repoImages();
    const second = await h.call('create_server', { name: 'img-hostile', description: HOSTILE });
    expect(second.status, JSON.stringify(second)).to.equal('success');
    expect(second.server.image).to.equal(first.server.image);
    expect(await repoImages()).to.equal(count);
  });

  it('passes a hostile description to the child verbatim, as data', async () => {
    const server = (await h.call('list_servers', { include_details: true })).servers.find((s: any) => s.name === 'img-hostile');
    expect(server.description).to.equal(HOSTILE);
    expect(server.status).to.equal('running');
    const child = await connect(`http://127.0.0.1:${server.port}`);
    expect(child.getInstructions()).to.equal(HOSTILE);
    expect(await call(child, 'echo', { message: HOSTILE })).to.deep.equal({ message: HOSTILE });
    await child.close();
    const info = await docker.getContainer(server.container_id).inspect();
    expect(info.Config.Env).to.include(`FORGE_SERVER_DESCRIPTION=${HOSTILE}`);
  });

  it('a different capability set gets a different image', async () => {
    const only = await h.call('create_server', { name: 'img-echo', capabilities: ['echo'] });
    expect(only.status, JSON.stringify(only)).to.equal('success');
    expect(only.server.image).to.not.equal((await h.call('list_servers', { include_details: true })).servers[0].image);
    const child = await connect(`http://127.0.0.1:${only.server.port}`);
    expect((await child.listTools()).tools.map((t) => t.name)).to.deep.equal(['echo']);
    await child.close();
  });
});
