import type { Logger } from '../logging/logger.js';
import { ChildContextRenderer, writeContext, type ProgramSpec } from '../render/child-context.js';
import { packDir } from '../render/pack-dir.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
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
    private readonly runtime: ContainerRuntime,
    private readonly renderer: ChildContextRenderer,
    private readonly settings: { repository: string; childBase: string; extraLabels: Record<string, string> },
    private readonly log: Logger,
  ) {}

  /** `timer` gets the phases `render` and `build` (the latter also when an existing image is found). */
  async ensure(spec: ProgramSpec, onProgress?: (line: string) => void, timer?: PhaseTimer): Promise<EnsuredImage> {
    const base = await this.runtime.images.inspect(this.settings.childBase);
    if (!base) throw new Error(`child base image ${this.settings.childBase} is missing; run \`npm run images\``);
    const context = this.renderer.render(spec, base.id);
    const tag = `${this.settings.repository}:${context.hash.slice(0, 16)}`;
    timer?.lap('render');
    let job = this.inflight.get(tag)?.then((r) => ({ ...r, built: false }));
    if (!job) {
      job = this.build(tag, context, spec, onProgress).finally(() => this.inflight.delete(tag));
      this.inflight.set(tag, job);
    }
    const image = await job;
    timer?.lap('build');
    return image;
  }

  private async build(
    tag: string,
    context: ReturnType<ChildContextRenderer['render']>,
    spec: ProgramSpec,
    onProgress?: (line: string) => void,
  ): Promise<EnsuredImage> {
    if (await this.runtime.images.inspect(tag)) return { tag, built: false };
    const started = Date.now();
    const { dir, cleanup } = await writeContext(context);
    try {
      await this.runtime.images.build(
        packDir(dir),
        {
          tag,
          labels: imageLabels('child-image', this.settings.extraLabels, {
            [LABELS.contentHash]: context.hash,
            [LABELS.capabilities]: [...spec.capabilities].sort().join(','),
          }),
        },
        onProgress,
      );
    } finally {
      await cleanup();
    }
    this.log.info({ image: tag, capabilities: spec.capabilities, ms: Date.now() - started }, 'built child image');
    return { tag, built: true };
  }
}
