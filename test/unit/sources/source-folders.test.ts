import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { ServerRecord } from '../../../src/registry/server-record.js';
import { CapabilityCatalog } from '../../../src/render/capability-catalog.js';
import { builtinTemplatesDir } from '../../../src/config/paths.js';
import { unitRuntime } from '../../../src/servers/server-units.js';
import { checkSource, sourceArgsOf } from '../../../src/sources/source-args.js';
import { npmBeside, npmCommand } from '../../../src/sources/npm-location.js';

describe('source.folders and where npm is found', () => {
  const npm = '@modelcontextprotocol/server-filesystem@2026.8.31';
  const check = (folders: Array<{ host: string; target: string }>) => () => checkSource({ npm, folders }, undefined, {});

  it('accepts absolute container targets outside the reserved folders', () => {
    expect(check([{ host: '/h/a', target: '/srv/files' }, { host: '/h/b', target: '/workspace' }])).to.not.throw();
  });

  it('refuses relative, dotted, reserved and overlapping targets', () => {
    expect(check([{ host: '/h', target: 'srv' }])).to.throw(/source.folders\[0\].target: "srv" must be an absolute path/);
    expect(check([{ host: '/h', target: '/srv/../etc' }])).to.throw(/no \. or \.\. parts/);
    for (const target of ['/app', '/app/node_modules', '/opt/mcp-forge/runtime', '/tmp/x', '/etc', '/proc/self']) {
      expect(check([{ host: '/h', target }]), target).to.throw(/which the container needs for itself/);
    }
    expect(check([{ host: '/h/a', target: '/srv' }, { host: '/h/b', target: '/srv/b' }])).to.throw(/source.folders\[1\].target: "\/srv\/b" overlaps another folder's target \/srv/);
  });

  it('mounts a source record\'s folders read-only at their host path, and clones copy them', async () => {
    const catalog = await CapabilityCatalog.load(builtinTemplatesDir);
    const source = { type: 'npm', package: 'p', version: '1.0.0', requested: '1.0.0', cache_key: 'k', bin_name: 'p', bin: 'i.js', args: [], env: {}, folders: [{ host: '/data/docs', target: '/srv/files' }] } as const;
    const record = { id: 'mcp-1', name: 'x', capabilities: [], handlers: [], options: {}, volume: null, credentials: null, source } as unknown as ServerRecord;
    expect(unitRuntime(record, catalog, { '/data/docs': '/host/docs' }).mounts).to.deep.equal([{ type: 'bind', source: '/host/docs', target: '/srv/files', readOnly: true }]);
    expect(sourceArgsOf({ ...source, args: [], folders: [...source.folders] }).folders).to.deep.equal([{ host: '/data/docs', target: '/srv/files' }]);
  });

  it('finds the npm that ships beside a Node binary, and runs its CLI with this Node', async () => {
    const prefix = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-npm-'));
    try {
      expect(npmBeside(path.join(prefix, 'bin', 'node'))).to.equal(null);
      await mkdir(path.join(prefix, 'lib', 'node_modules', 'npm', 'bin'), { recursive: true });
      await writeFile(path.join(prefix, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), '');
      expect(npmBeside(path.join(prefix, 'bin', 'node'))).to.equal(path.join(prefix, 'lib', 'node_modules', 'npm'));
    } finally {
      await rm(prefix, { recursive: true, force: true });
    }
    const command = npmCommand(['view', 'x']);
    const beside = npmBeside();
    expect(command).to.deep.equal(beside ? { file: process.execPath, args: [path.join(beside, 'bin', 'npm-cli.js'), 'view', 'x'] } : { file: 'npm', args: ['view', 'x'] });
  });
});
