import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Runtime } from '../runtime/runtime.js';
import { packDir } from '../render/pack-dir.js';
import { imageLabels } from '../runtime/labels.js';

const run = promisify(execFile);

/** The shared libraries `ldd` names for a binary (the loader included). */
export function parseLdd(output: string): string[] {
  const libs = new Set<string>();
  for (const line of output.split('\n')) {
    const arrow = line.match(/=>\s*(\/\S+)/);
    const bare = line.match(/^\s*(\/\S+)\s+\(/);
    const found = arrow?.[1] ?? bare?.[1];
    if (found) libs.add(found);
  }
  return [...libs];
}

/**
 * Makes a minimal Node base image from this machine's own Node runtime, for hosts that
 * cannot pull the official one: the node binary, the libraries it links, /tmp and a
 * `node` user (uid 1000) as in the official image. Imported with `docker import`.
 */
export async function createLocalNodeBase(
  runtime: Runtime,
  tag: string,
  extraLabels: Record<string, string>,
  nodeBinary = process.execPath,
) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-rootfs-'));
  try {
    const place = async (source: string, target: string) => {
      await mkdir(path.dirname(path.join(root, target)), { recursive: true });
      await copyFile(source, path.join(root, target));
    };
    await place(nodeBinary, '/usr/local/bin/node');
    const { stdout } = await run('ldd', [nodeBinary]);
    for (const lib of parseLdd(stdout)) await place(lib, lib);
    await mkdir(path.join(root, 'etc'), { recursive: true });
    await writeFile(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000::/home/node:/sbin/nologin\n');
    await writeFile(path.join(root, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
    await writeFile(path.join(root, 'etc/nsswitch.conf'), 'hosts: files dns\n');
    for (const dir of ['tmp', 'home/node', 'root']) await mkdir(path.join(root, dir), { recursive: true });
    await chmod(path.join(root, 'tmp'), 0o1777);
    // tar-fs applies the umask; /tmp must stay 1777 (Docker gives a tmpfs /tmp the image's mode).
    const rootfs = packDir(root, (header) => {
      if (header.name === 'tmp') return { ...header, mode: 0o1777, uid: 0, gid: 0 };
      return header.name.startsWith('home/node') ? { ...header, uid: 1000, gid: 1000 } : { ...header, uid: 0, gid: 0 };
    });
    const labels = Object.entries(imageLabels('node-base', extraLabels)).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`);
    await runtime.images.importRootfs(rootfs, {
      tag,
      changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin', 'ENV NODE_VERSION=' + process.versions.node, 'CMD ["node"]', ...labels],
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
