import { expect } from 'chai';
import { chmod, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkHostFolder, type HostFolderRules } from '../../../src/servers/host-folder.js';
import { toHostPath } from '../../../src/servers/host-paths.js';

describe('host folders a file_reader may mount', () => {
  let base: string;
  const rules = (over: Partial<HostFolderRules> = {}): HostFolderRules => ({ roots: [base], own: [], hostPathMap: {}, inContainer: false, uid: 10001, ...over });
  const refused = async (given: string, r: HostFolderRules, message: RegExp) => {
    const err = await checkHostFolder(given, 'root', r).then(() => null, (e: Error) => e);
    expect(err, given).to.be.instanceOf(Error);
    expect(err!.message, given).to.match(message);
  };

  before(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-roots-'));
    await mkdir(path.join(base, 'docs', 'inner'), { recursive: true });
    await symlink('/etc', path.join(base, 'etc-link'));
    await symlink(os.tmpdir(), path.join(base, 'tmp-link'));
    await chmod(base, 0o755);
  });
  after(() => rm(base, { recursive: true, force: true }));

  it('refuses every folder while no root is allowed, saying how to allow one', async () => {
    await refused(path.join(base, 'docs'), rules({ roots: [] }), /set children\.allowed_host_roots in config\/default\.json .* or FORGE_ALLOWED_HOST_ROOTS/);
  });

  it('accepts a folder under an allowed root and refuses one outside it', async () => {
    expect(await checkHostFolder(path.join(base, 'docs', 'inner'), 'root', rules())).to.equal(path.join(base, 'docs', 'inner'));
    expect(await checkHostFolder(base, 'root', rules())).to.equal(base);
    await refused(os.tmpdir(), rules({ roots: [path.join(base, 'docs')] }), /shared system folder/);
    await refused(base, rules({ roots: [path.join(base, 'docs')] }), /is not under an allowed host root/);
  });

  it('resolves symbolic links and .. before checking', async () => {
    await refused(path.join(base, 'etc-link'), rules(), /\/etc\)? is or holds \/etc, which servers must never see/);
    await refused(path.join(base, 'docs', '..', '..', '..', 'etc'), rules(), /is or holds \/etc/);
    await refused(path.join(base, 'tmp-link'), rules(), /shared system folder/);
  });

  it('never allows system paths, shared parents or the forge\'s own paths, even under an allowed root /', async () => {
    const all = rules({ roots: ['/'], own: [path.join(base, 'docs', 'inner')] });
    for (const p of ['/etc', '/proc', '/sys', '/dev', '/run', '/var/run', '/var/log', '/usr/bin', '/var/lib', '/root']) await refused(p, all, /which servers must never see/);
    for (const p of ['/', '/tmp', '/var']) await refused(p, all, /shared system folder|which servers must never see/);
    await refused(path.join(base, 'docs'), all, /holds .*docs\/inner, which servers must never see/);
    await refused(path.join(base, 'docs', 'inner'), all, /which servers must never see/);
  });

  it('checks the path Docker binds on the host: mapped, or refused from a container without a mapping', async () => {
    await refused(path.join(base, 'docs'), rules({ inContainer: true }), /runs in a container .* children\.host_path_map/);
    expect(await checkHostFolder(path.join(base, 'docs'), 'root', rules({ inContainer: true, hostPathMap: { [base]: '/srv/shared' } }))).to.equal(path.join(base, 'docs'));
    await refused(base, rules({ inContainer: true, hostPathMap: { [base]: '/' } }), /on the host \/\) is a shared system folder/);
    await refused(path.join(base, 'docs'), rules({ hostPathMap: { [path.join(base, 'docs')]: '/etc/ssl' } }), /on the host \/etc\/ssl\).* is or holds \/etc/);
  });

  it('maps forge paths to host paths by the longest prefix', () => {
    const map = { '/shared': '/srv/data', '/shared/deep/': '/mnt/deep' };
    expect(toHostPath('/shared/a/b', map, true)).to.equal('/srv/data/a/b');
    expect(toHostPath('/shared', map, true)).to.equal('/srv/data');
    expect(toHostPath('/shared/deep/x', map, true)).to.equal('/mnt/deep/x');
    expect(toHostPath('/sharedx', map, true)).to.equal(null);
    expect(toHostPath('/sharedx', map, false)).to.equal('/sharedx');
  });
});
