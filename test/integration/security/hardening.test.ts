import { expect } from 'chai';
import { nodeIn } from '../../support/node-in.js';
import { startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { docker } from '../../support/docker-leaks.js';

describe('hardened children', function () {
  let h: ForgeHandle;
  let info: any;
  before(async () => {
    h = await startForge();
    const created = await h.call('create_server', { name: 'hardened', capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    info = await docker.getContainer(created.server.container_id).inspect();
  });
  after(async () => h?.stop());

  it('docker inspect shows every hardening setting', () => {
    // Not 1000, the first user of most hosts: a file of that user in a mounted folder stays theirs.
    expect(info.Config.User).to.equal('10001:10001');
    expect(info.HostConfig.CapDrop).to.deep.equal(['ALL']);
    expect(info.HostConfig.SecurityOpt).to.deep.equal(['no-new-privileges:true']);
    expect(info.HostConfig.ReadonlyRootfs).to.equal(true);
    expect(info.HostConfig.Tmpfs['/tmp']).to.match(/size=67108864/);
    expect(info.HostConfig.PidsLimit).to.equal(256);
    expect(info.HostConfig.Memory).to.equal(268435456);
    expect(info.HostConfig.Privileged).to.equal(false);
    // A chatty child cannot fill the host's disk: Docker rotates its log.
    expect(info.HostConfig.LogConfig).to.deep.equal({ Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } });
  });

  it('no Docker socket and no host path reaches the child', () => {
    expect(info.HostConfig.Binds ?? []).to.deep.equal([]);
    expect(info.Mounts.filter((m: any) => m.Type === 'bind')).to.deep.equal([]);
    expect(JSON.stringify(info.Mounts)).to.not.contain('docker.sock');
  });

  it('runs on its forge\'s own network, published on loopback only', () => {
    expect(info.HostConfig.NetworkMode).to.equal(`mcp-forge-${h.forge.registry.instanceId}`);
    expect(Object.keys(info.NetworkSettings.Networks)).to.deep.equal([`mcp-forge-${h.forge.registry.instanceId}`]);
    expect(info.HostConfig.PortBindings['8080/tcp'][0].HostIp).to.equal('127.0.0.1');
  });

  it('inside, the process is not root and cannot write outside /tmp', async () => {
    const out = await nodeIn(
      info.Id,
      "const fs=require('fs');let root='writable';try{fs.writeFileSync('/app/x','y')}catch(e){root=e.code}" +
        ";fs.writeFileSync('/tmp/ok','y');console.log(JSON.stringify({uid:process.getuid(),root}))",
    );
    expect(out.trim()).to.match(/^\{/, out);
    expect(JSON.parse(out.trim())).to.deep.equal({ uid: 10001, root: 'EROFS' });
  });
});
