import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import { packageRoot } from '../../../src/config/paths.js';

/** A config from the defaults with `over` applied (no test allowances: the defaults as shipped). */
const load = (over: Record<string, any>, env: NodeJS.ProcessEnv = {}) =>
  loadConfig({ env, overrides: { storage: { data_dir: mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-cfg-')) }, ...over } });

describe('dangerous configuration values are refused', () => {
  for (const ref of ['Nginx:latest', 'mcp-forge/child base:1', 'mcp-forge/child-base:1;rm -rf /', '--privileged', 'mcp-forge/child-base:', 'http://x/y']) {
    it(`images.child_base "${ref}" is not a Docker image reference`, () => {
      expect(() => load({ images: { child_base: ref } })).to.throw(ConfigError, /images\/child_base/);
    });
  }

  for (const [key, ref] of [
    ['child_base', 'nginx:latest'],
    ['child_base', 'library/node:20'],
    ['local_node_base', 'node:20-bookworm-slim'],
    ['child_repository', 'docker.io/library/alpine'],
    ['child_repository', 'myorg/child'],
  ] as const) {
    it(`images.${key} "${ref}" is outside the forge's own repositories (the forge would re-tag it)`, () => {
      expect(() => load({ images: { [key]: ref } })).to.throw(ConfigError, new RegExp(`images.${key}.*mcp-forge`));
    });
  }

  it('accepts image references in the forge\'s repositories, and any pullable node_base', () => {
    const c = load({ images: { child_base: 'mcp-forge/child-base:my-branch', child_repository: 'mcp-forge-test/run1', node_base: 'registry.example:5000/base/node:20@sha256:' + 'a'.repeat(64) } });
    expect(c.images.child_base).to.equal('mcp-forge/child-base:my-branch');
  });

  for (const network of ['host', 'none', 'bridge', 'HOST']) {
    it(`children.network "${network}" is refused`, () => {
      expect(() => load({ children: { network } })).to.throw(ConfigError, /children.network/);
    });
  }

  it('templates.dir only under the shipped templates or templates.allowed_dirs', () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-tpl-'));
    expect(() => load({ templates: { dir: '/etc' } })).to.throw(ConfigError, /templates.dir .*allowed_dirs/);
    expect(() => load({ templates: { dir: elsewhere } })).to.throw(ConfigError, /templates.dir/);
    expect(() => load({ templates: { dir: path.join(packageRoot, 'templates', '..', '..') } })).to.throw(ConfigError, /templates.dir/);
    expect(load({ templates: { dir: path.join(packageRoot, 'templates') } }).templates.dir).to.equal(path.join(packageRoot, 'templates'));
    expect(load({ templates: { dir: elsewhere, allowed_dirs: [path.dirname(elsewhere)] } }).templates.dir).to.equal(elsewhere);
    expect(load({}, { FORGE_TEMPLATES_DIR: elsewhere, FORGE_TEMPLATES_ALLOWED_DIRS: elsewhere }).templates.dir).to.equal(elsewhere);
  });
});
