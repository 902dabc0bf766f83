import { createHash } from 'node:crypto';
import { access, readFile, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ForgeConfig } from '../config/forge-config.js';
import { imagesDir } from '../config/paths.js';
import type { Logger } from '../logging/logger.js';
import type { Runtime } from '../runtime/runtime.js';
import { imageLabels, LABELS } from '../runtime/labels.js';
import { createLocalNodeBase } from './local-node-base.js';
import { packDir } from '../render/pack-dir.js';
import { bundleRuntime } from './runtime-bundle.js';
import { hashTree } from './tree-hash.js';

const run = promisify(execFile);
const childBaseDir = path.join(imagesDir, 'child-base');
const runtimeDir = path.join(childBaseDir, 'runtime');
/** The runtime bundled into one file (generated; see runtime-bundle.ts). */
const bundleDir = path.join(childBaseDir, 'bundle');
/** Written after an install: the hash of the package-lock.json installed, so a changed lock reinstalls. */
const INSTALL_STAMP = 'node_modules/.mcp-forge-installed';
/** better-sqlite3's native module, built on this host: npm skips it silently when install scripts are off. */
const NATIVE_MODULE = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
/** better-sqlite3's sources and build leftovers: only lib/ and the built module are needed in the image. */
const BUILD_LEFTOVERS = /\/node_modules\/better-sqlite3\/(deps|src|build\/(deps|Release\/(obj|obj\.target|\.deps|sqlite3\.a|test_extension\.node)))(\/|$)/;

/**
 * Builds or reuses the images the forge needs: a Node base (the official one if present or
 * pullable, else one made from this machine's Node) and the child base built FROM it.
 */
export class BaseImages {
  constructor(
    private readonly runtime: Runtime,
    private readonly config: ForgeConfig,
    private readonly log: Logger,
  ) {}

  /** Returns the child base image id, building only what is missing or out of date. */
  async ensure(): Promise<string> {
    const nodeBase = await this.ensureNodeBase();
    return this.ensureChildBase(nodeBase);
  }

  async ensureNodeBase(): Promise<{ ref: string; id: string }> {
    const { node_base, local_node_base } = this.config.images;
    for (const ref of [node_base, local_node_base]) {
      const found = await this.runtime.images.inspect(ref);
      if (found) return { ref, id: found.id };
    }
    this.log.info({ image: node_base }, 'pulling the Node base image');
    if (await this.runtime.images.tryPull(node_base)) {
      const pulled = await this.runtime.images.inspect(node_base);
      if (pulled) return { ref: node_base, id: pulled.id };
    }
    this.log.warn({ image: node_base, local: local_node_base }, 'cannot pull the Node base; making one from this machine\'s Node');
    await createLocalNodeBase(this.runtime, local_node_base, this.config.docker.extra_labels);
    const made = await this.runtime.images.inspect(local_node_base);
    if (!made) throw new Error(`creating ${local_node_base} left no image`);
    return { ref: local_node_base, id: made.id };
  }

  async ensureChildBase(nodeBase: { ref: string; id: string }): Promise<string> {
    await this.ensureRuntimeModules();
    if ((await bundleRuntime(runtimeDir, bundleDir)) === 'bundled') this.log.info({ dir: bundleDir }, 'bundled the child runtime');
    const hash = await this.childBaseHash(nodeBase.id);
    const tag = this.config.images.child_base;
    const existing = await this.runtime.images.inspect(tag);
    if (existing && existing.labels[LABELS.contentHash] === hash) return existing.id;
    this.log.info({ image: tag, base: nodeBase.ref }, 'building the child base image');
    const context = packDir(childBaseDir, undefined, (file) => BUILD_LEFTOVERS.test(file));
    return this.runtime.images.build(
      context,
      {
        tag,
        buildArgs: { NODE_BASE: nodeBase.ref },
        labels: imageLabels('child-base', this.config.docker.extra_labels, { [LABELS.contentHash]: hash }),
      },
      (line) => this.log.debug({ image: tag }, line),
    );
  }

  /**
   * The child runtime's node_modules travel in the build context (the image build is offline):
   * installed on the host once. Install scripts run only for the packages the runtime's
   * package.json approves (allowScripts: better-sqlite3), built from source with this host's
   * compiler and Node headers, which suits both Node bases (same Node major, glibc).
   */
  private async ensureRuntimeModules() {
    const lock = createHash('sha256').update(await readFile(path.join(runtimeDir, 'package-lock.json'))).digest('hex');
    const stamp = await readFile(path.join(runtimeDir, INSTALL_STAMP), 'utf8').catch(() => null);
    const built = () => access(path.join(runtimeDir, NATIVE_MODULE)).then(() => true, () => false);
    if (stamp === lock && (await built())) return;
    this.log.info({ dir: runtimeDir }, 'installing the child runtime dependencies (builds better-sqlite3, about a minute)');
    await run('npm', ['ci', '--omit=dev', '--build-from-source', '--no-audit', '--no-fund'], { cwd: runtimeDir, maxBuffer: 64 * 1024 * 1024 });
    if (!(await built())) {
      throw new Error(`npm ci in ${runtimeDir} did not build ${NATIVE_MODULE}; are install scripts allowed and a C++ toolchain (python3, make, g++) installed?`);
    }
    await writeFile(path.join(runtimeDir, INSTALL_STAMP), lock);
  }

  private childBaseHash(nodeBaseId: string): Promise<string> {
    return hashTree(childBaseDir, `node-base:${nodeBaseId}
`);
  }
}
