import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ForgeConfig } from '../config/forge-config.js';
import { ForgeError } from '../errors/forge-error.js';
import type { ServerRecord, ServerSource } from '../registry/server-record.js';
import type { Runtime } from '../runtime/runtime.js';
import { LABELS } from '../runtime/labels.js';
import type { ChildImages, EnsuredImage } from '../servers/child-images.js';
import type { PhaseTimer } from '../servers/phase-timer.js';
import type { NpmCache } from './npm-cache.js';
import { parseNpmSpec } from './npm-spec.js';
import type { SourceArgs } from './source-args.js';
import type { SecretStore } from './secret-store.js';
import { SourceContextRenderer } from './source-context.js';

/**
 * Bring-your-own servers: turns a validated `source` into what the registry keeps (package
 * resolved and installed, image inspected), and makes the image a child of it runs.
 */
export class ServerSources {
  private readonly renderer: SourceContextRenderer;
  /** The uid:gid children run as (children.uid; templates/child/Dockerfile.njk). */
  private readonly childUser: string;

  constructor(
    private readonly config: ForgeConfig,
    private readonly runtime: Runtime,
    private readonly images: ChildImages,
    private readonly npm: NpmCache,
    private readonly secrets: SecretStore,
  ) {
    this.childUser = `${config.children.uid}:${config.children.uid}`;
    this.renderer = new SourceContextRenderer({ childBase: config.images.child_base, containerPort: config.children.container_port, childUser: this.childUser });
  }

  /** Resolves and installs a package, or inspects an image; nothing is registered yet. */
  async prepare(args: SourceArgs, onProgress?: (line: string) => void): Promise<ServerSource> {
    // args.folders come checked by prepareUnits (their real host paths).
    const common = { args: args.args ?? [], env: args.env ?? {}, ...(args.folders?.length ? { folders: args.folders } : {}) };
    if (args.npm !== undefined) {
      const spec = parseNpmSpec(args.npm);
      onProgress?.(`resolving ${spec.name}@${spec.range}`);
      const version = await this.npm.resolve(spec);
      const cached = await this.npm.ensure(spec.name, version, onProgress);
      const bin = await binOf(cached.dir, spec.name, args.bin);
      return { type: 'npm', package: spec.name, version, requested: spec.range, cache_key: cached.key, bin_name: bin.name, bin: bin.file, ...common };
    }
    const image = args.image!;
    const info = await this.runtime.images.inspect(image);
    if (!info) throw ForgeError.invalid(`source.image: image ${image} is not present on the Docker host; build or load it first (the forge pulls nothing)`);
    const imageUser = info.config?.user ?? '';
    const root = /^(|root|0)(:.*)?$/.test(imageUser);
    const transport = args.transport ?? 'stdio';
    if (transport === 'stdio' && !(info.config?.entrypoint.length || info.config?.cmd.length)) {
      throw ForgeError.invalid(`source.image: image ${image} has no command (Entrypoint or Cmd) for the bridge to run`);
    }
    return {
      type: 'image',
      image,
      image_id: info.id,
      digest: info.digest ?? null,
      transport,
      port: transport === 'http' ? args.port! : null,
      path: args.path ?? '/mcp',
      user: root && !this.config.sources.images_allow_root ? this.childUser : imageUser || '0:0',
      ...common,
    };
  }

  saveSecrets(serverId: string, secrets: Record<string, string>): Promise<void> {
    return Object.keys(secrets).length ? this.secrets.put(serverId, secrets) : Promise.resolve();
  }

  secretsOf(serverId: string): Promise<Record<string, string>> {
    return this.secrets.get(serverId);
  }

  forget(serverId: string): Promise<void> {
    return this.secrets.remove(serverId);
  }

  /**
   * A source child's environment: the plain `env`, its secrets, and for the bridge the extra
   * args and how long the server may take to answer initialize (within the forge's readiness wait).
   */
  async runtimeEnv(record: ServerRecord): Promise<Record<string, string>> {
    const source = record.source;
    if (!source) return {};
    const secrets = record.secret_names?.length ? await this.secrets.get(record.id) : {};
    const bridged = source.type === 'npm' || source.transport === 'stdio';
    // Within the forge's readiness wait, so a silent server fails with the bridge's own words.
    const initS = Math.max(1, Math.floor(this.config.children.ready_timeout_s * 0.7));
    return {
      ...source.env,
      ...secrets,
      ...(bridged ? { FORGE_SOURCE_ARGS: JSON.stringify(source.args), FORGE_SOURCE_INIT_TIMEOUT_S: String(initS) } : {}),
    };
  }

  /** The image a source's child runs: built once per content hash (npm, stdio image), or the image itself (http). */
  async ensureImage(source: ServerSource, onProgress?: (line: string) => void, timer?: PhaseTimer): Promise<EnsuredImage> {
    if (source.type === 'image' && source.transport === 'http') return { tag: source.image, built: false };
    const baseId = await this.images.baseId();
    timer?.lap('render');
    let image: EnsuredImage;
    if (source.type === 'npm') {
      const context = this.renderer.npm(source, baseId);
      const populate = (dir: string) => cp(path.join(this.npm.dirOf(source.cache_key), 'node_modules'), path.join(dir, 'app', 'node_modules'), { recursive: true, verbatimSymlinks: true });
      image = await this.images.ensureRendered(context, { [LABELS.source]: `npm:${source.package}@${source.version}` }, { populate }, onProgress);
    } else {
      const info = await this.runtime.images.inspect(source.image);
      if (!info) throw ForgeError.invalid(`source.image: image ${source.image} is not present on the Docker host`);
      const command = [...(info.config?.entrypoint ?? []), ...(info.config?.cmd ?? [])];
      const context = this.renderer.stdioImage(source, command, info.config?.workingDir ?? '', baseId);
      const args = { CHILD_BASE: this.config.images.child_base, SOURCE_IMAGE: source.image };
      image = await this.images.ensureRendered(context, { [LABELS.source]: `image:${source.image}` }, { args }, onProgress);
    }
    timer?.lap('build');
    return image;
  }
}

/** The bin to run: the one named, the one named like the package, or the only one. */
async function binOf(dir: string, name: string, wanted?: string): Promise<{ name: string; file: string }> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bins: Record<string, string> = typeof manifest.bin === 'string' ? { [name.split('/').pop()!]: manifest.bin } : (manifest.bin ?? {});
  const names = Object.keys(bins);
  const pick = wanted ?? (names.length === 1 ? names[0] : names.find((n) => n === name.split('/').pop()));
  if (!pick || !bins[pick]) {
    const known = names.length ? names.join(', ') : '(none)';
    throw ForgeError.invalid(`source.npm: ${name} ${wanted ? `has no bin "${wanted}"` : 'names no single bin to run'}; its bins: ${known}${names.length > 1 ? ' (choose one with source.bin)' : ''}`);
  }
  return { name: pick, file: path.posix.normalize(bins[pick]!) };
}
