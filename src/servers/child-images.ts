import type { Logger } from '../logging/logger.js';
import { ChildContextRenderer, writeContext, type ProgramSpec, type RenderedContext } from '../render/child-context.js';
import { packDir } from '../render/pack-dir.js';
import type { Runtime } from '../runtime/runtime.js';
import { imageLabels, LABELS } from '../runtime/labels.js';
import type { PhaseTimer } from './phase-timer.js';

/** Outcome of ensuring a child image: its tag and whether this call had to build it. */
export interface EnsuredImage {
  tag: string;
  built: boolean;
}

/**
 * Child images named by the hash of their rendered context: identical inputs never build
 * twice, and concurrent requests for one hash share a single build.
 */
export class ChildImages {
  private readonly inflight = new Map<string, Promise<EnsuredImage>>();

  constructor(
    private readonly runtime: Runtime,
    private readonly renderer: ChildContextRenderer,
    private readonly settings: { repository: string; childBase: string; extraLabels: Record<string, string> },
    private readonly log: Logger,
  ) {}

  /** `timer` gets the phases `render` and `build` (the latter also when an existing image is found). */
  async ensure(spec: ProgramSpec, onProgress?: (line: string) => void, timer?: PhaseTimer): Promise<EnsuredImage> {
    const context = this.renderer.render(spec, await this.baseId());
    timer?.lap('render');
    const image = await this.ensureRendered(context, { [LABELS.capabilities]: [...spec.capabilities].sort().join(',') }, {}, onProgress);
    timer?.lap('build');
    return image;
  }

  /** The child base's image id (it takes part in every content hash); throws when the base is missing. */
  async baseId(): Promise<string> {
    const base = await this.runtime.images.inspect(this.settings.childBase);
    if (!base) throw new Error(`child base image ${this.settings.childBase} is missing; run \`npm run images\``);
    return base.id;
  }

  /**
   * The image of a rendered context, built when no image carries its hash. `build.populate` adds
   * files the hash stands for but the context does not hold (a cached node_modules, named by its
   * cache key in the context); `build.args` are Docker build args.
   */
  async ensureRendered(
    context: RenderedContext,
    labels: Record<string, string>,
    build: { populate?: (dir: string) => Promise<void>; args?: Record<string, string> },
    onProgress?: (line: string) => void,
  ): Promise<EnsuredImage> {
    const tag = `${this.settings.repository}:${context.hash.slice(0, 16)}`;
    let job = this.inflight.get(tag)?.then((r) => ({ ...r, built: false }));
    if (!job) {
      job = this.build(tag, context, labels, build, onProgress).finally(() => this.inflight.delete(tag));
      this.inflight.set(tag, job);
    }
    return job;
  }

  private async build(
    tag: string,
    context: RenderedContext,
    labels: Record<string, string>,
    build: { populate?: (dir: string) => Promise<void>; args?: Record<string, string> },
    onProgress?: (line: string) => void,
  ): Promise<EnsuredImage> {
    if (await this.runtime.images.inspect(tag)) return { tag, built: false };
    const started = Date.now();
    const { dir, cleanup } = await writeContext(context);
    try {
      await build.populate?.(dir);
      await this.runtime.images.build(
        packDir(dir),
        {
          tag,
          labels: imageLabels('child-image', this.settings.extraLabels, { [LABELS.contentHash]: context.hash, ...labels }),
          ...(build.args ? { buildArgs: build.args } : {}),
        },
        onProgress,
      );
    } finally {
      await cleanup();
    }
    this.log.info({ image: tag, labels, ms: Date.now() - started }, 'built child image');
    return { tag, built: true };
  }
}
