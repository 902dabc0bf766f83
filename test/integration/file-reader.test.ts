import { expect } from 'chai';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connect, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';
import { attempt } from '../support/tool-call.js';

describe('handler file_reader against a real child', function () {
  let h: ForgeHandle;
  let base: string;
  let root: string;
  let server: any;
  let child: Client;

  before(async function () {
    base = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-files-'));
    root = path.join(base, 'shared');
    await mkdir(path.join(root, 'docs'), { recursive: true });
    await writeFile(path.join(root, 'hello.txt'), 'hello from the host\n');
    await writeFile(path.join(root, 'docs', 'big.bin'), Buffer.alloc(4096, 7));
    await writeFile(path.join(base, 'secret.txt'), 'outside the root');
    await symlink(path.join(base, 'secret.txt'), path.join(root, 'escape-link'));
    await symlink('/etc', path.join(root, 'etc-link'));
    await symlink('hello.txt', path.join(root, 'inner-link'));
    await symlink('..', path.join(root, 'up-link'));
    await symlink('/proc/self/environ', path.join(root, 'env-link'));
    await mkdir(path.join(base, 'swapped'));
    await chmod(base, 0o755);
    h = await startForge({ children: { allowed_host_roots: [base] } });
    const created = await h.call('create_server', {
      name: 'files-1',
      capabilities: ['echo'],
      handlers: ['file_reader'],
      options: { file_reader: { root, max_file_bytes: 1024 } },
    });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    server = created.server;
    child = await connect(`http://127.0.0.1:${server.port}`);
  });
  after(async () => {
    await child?.close();
    await h?.stop();
    await rm(base, { recursive: true, force: true });
  });

  it('mounts the folder read-only into the container and lists the tools', async () => {
    const info = await docker.getContainer(server.container_id).inspect();
    const mount = info.Mounts.find((m: any) => m.Destination === '/srv/files');
    expect(mount).to.include({ Type: 'bind', Source: root, RW: false });
    expect((await child.listTools()).tools.map((t) => t.name)).to.have.members(['echo', 'read_file', 'list_directory']);
    expect(server.options).to.deep.equal({ file_reader: { root, max_file_bytes: 1024 } });
  });

  it('reads files and lists folders under the root', async () => {
    const read = await attempt(child, 'read_file', { path: 'hello.txt' });
    expect(read.data).to.deep.include({ path: 'hello.txt', content: 'hello from the host\n', size: 20, encoding: 'utf8' });
    expect((await attempt(child, 'read_file', { path: '/inner-link' })).data.content).to.equal('hello from the host\n');
    const listed = await attempt(child, 'list_directory', {});
    expect(listed.data.entries.map((e: any) => [e.name, e.type])).to.deep.equal([
      ['docs', 'directory'],
      ['env-link', 'symlink'],
      ['escape-link', 'symlink'],
      ['etc-link', 'symlink'],
      ['hello.txt', 'file'],
      ['inner-link', 'symlink'],
      ['up-link', 'symlink'],
    ]);
    expect((await attempt(child, 'list_directory', { path: 'docs' })).data.entries).to.deep.equal([{ name: 'big.bin', type: 'file', size: 4096 }]);
  });

  it('refuses paths that escape the root, through .. or symbolic links', async () => {
    for (const p of ['../secret.txt', 'docs/../../secret.txt', '/../../etc/passwd']) {
      const r = await attempt(child, 'read_file', { path: p });
      expect(r.isError, p).to.equal(true);
      expect(r.text).to.match(/leaves the server's folder; refused/);
    }
    for (const p of ['etc-link/passwd', 'env-link', 'up-link']) {
      const r = await attempt(child, 'read_file', { path: p });
      expect(r.isError, p).to.equal(true);
      expect(r.text).to.contain('leads outside the server\'s folder through a symbolic link; refused');
    }
    for (const p of ['etc-link', 'up-link']) {
      expect((await attempt(child, 'list_directory', { path: p })).text, p).to.contain('through a symbolic link; refused');
    }
    // A link that leaves and comes back resolves inside: allowed.
    expect((await attempt(child, 'read_file', { path: 'up-link/files/hello.txt' })).data.content).to.equal('hello from the host\n');
    // A link to a host path outside the root does not even exist inside the container.
    expect((await attempt(child, 'read_file', { path: 'escape-link' })).text).to.contain('no such file or folder');
    expect((await attempt(child, 'list_directory', { path: '..' })).text).to.match(/leaves the server's folder/);
  });

  it('refuses files above the size cap, missing files and folders', async () => {
    const big = await attempt(child, 'read_file', { path: 'docs/big.bin' });
    expect(big.isError).to.equal(true);
    expect(big.text).to.contain('4096 bytes, above this server\'s cap of 1024 bytes');
    expect((await attempt(child, 'read_file', { path: 'missing.txt' })).text).to.contain('no such file or folder');
    expect((await attempt(child, 'read_file', { path: 'docs' })).text).to.contain('not a regular file');
  });

  it('rejects a missing, relative or dangerous root at creation, storing nothing', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [undefined, /handler "file_reader" needs options.file_reader/],
      [{ root: 'relative/dir' }, /invalid option: options.file_reader.root must match pattern/],
      [{ root: path.join(base, 'nope') }, /does not exist/],
      [{ root: path.join(root, 'hello.txt') }, /is not a folder/],
      [{ root: '/' }, /\/ is a shared system folder and cannot be mounted/],
      [{ root: '/var/run' }, /is or holds \/(var\/)?run, which servers must never see/],
      [{ root: '/etc' }, /\/etc is or holds \/etc, which servers must never see/],
      [{ root: path.join(root, 'etc-link') }, /etc-link \(\/etc\) is or holds \/etc, which servers must never see/],
      [{ root: path.join(root, '..', '..', '..', 'proc') }, /is or holds \/proc, which servers must never see/],
      [{ root: h.config.storage.data_dir }, /is or holds .*, which servers must never see/],
      [{ root, extra: 1 }, /invalid option: options.file_reader must NOT have additional properties: "extra"/],
    ];
    for (const [settings, message] of cases) {
      const options = settings === undefined ? {} : { file_reader: settings };
      const r = await h.call('create_server', { handlers: ['file_reader'], options });
      expect(r.status, JSON.stringify(settings)).to.equal('error');
      expect(r.error.code).to.equal('invalid_request');
      expect(r.error.message).to.match(message);
    }
    expect((await h.call('list_servers')).count).to.equal(1);
  });

  it('servers differing only in their folder share one image', async () => {
    const other = await h.call('create_server', {
      name: 'files-2',
      capabilities: ['echo'],
      handlers: ['file_reader'],
      options: { file_reader: { root: path.join(root, 'docs') } },
    });
    expect(other.status, JSON.stringify(other)).to.equal('success');
    expect(other.server.image).to.equal(server.image);
    const c = await connect(`http://127.0.0.1:${other.server.port}`);
    try {
      expect((await attempt(c, 'list_directory', {})).data.entries.map((e: any) => e.name)).to.deep.equal(['big.bin']);
    } finally {
      await c.close();
    }
  });

  it('checks the folder again when the server is started or restarted: a link put in its place is refused', async () => {
    const folder = path.join(base, 'swapped');
    const created = await h.call('create_server', { name: 'files-swap', handlers: ['file_reader'], options: { file_reader: { root: folder } } });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    expect((await h.call('stop_server', { server_id: 'files-swap' })).status).to.equal('success');
    await rm(folder, { recursive: true });
    await symlink('/etc', folder);
    for (const tool of ['start_server', 'restart_server']) {
      const r = await h.call(tool, { server_id: 'files-swap' });
      expect(r.status, tool).to.equal('error');
      expect(r.error.message, tool).to.match(/is or holds \/etc, which servers must never see/);
    }
    const info = await docker.getContainer(created.server.container_id).inspect();
    expect(info.State.Running).to.equal(false);
    // Removed outside the forge: the re-create checks too.
    await docker.getContainer(created.server.container_id).remove();
    expect((await h.call('start_server', { server_id: 'files-swap' })).error?.message).to.match(/is or holds \/etc/);
    expect((await h.call('delete_server', { server_id: 'files-swap' })).status).to.equal('success');
  });
});

describe('file_reader on a forge that allows no host folder (the default)', function () {
  let h: ForgeHandle;
  let folder: string;
  before(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-files-'));
    await chmod(folder, 0o755);
    h = await startForge();
  });
  after(async () => {
    await h?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('refuses the create, saying how to allow a root, and stores nothing', async () => {
    const r = await h.call('create_server', { handlers: ['file_reader'], options: { file_reader: { root: folder } } });
    expect(r.status).to.equal('error');
    expect(r.error.code).to.equal('invalid_request');
    expect(r.error.message).to.contain('set children.allowed_host_roots in config/default.json').and.contain('FORGE_ALLOWED_HOST_ROOTS');
    expect((await h.call('list_servers')).count).to.equal(0);
  });

  it('set_config cannot widen the allow-list: it is the operator\'s', async () => {
    const r = await h.call('set_config', { section: 'children', key: 'allowed_host_roots', value: [folder] });
    expect(r.status).to.equal('error');
    expect(r.error.message).to.contain('cannot be changed at run time');
  });
});
