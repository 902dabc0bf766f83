import type Dockerode from 'dockerode';
import type { BuildOptions, ImageClient } from '../runtime.js';
import { RuntimeError } from '../runtime.js';
import { docker } from './docker-errors.js';

type ProgressEvent = { stream?: string; status?: string; error?: string; errorDetail?: { message?: string }; aux?: { ID?: string } };

/** Images through dockerode: build from a tar context, import a rootfs, inspect, pull, remove. */
export class DockerImages implements ImageClient {
  constructor(private readonly api: Dockerode) {}

  async inspect(ref: string) {
    const info = await docker(`inspect image ${ref}`, () => this.api.getImage(ref).inspect(), null);
    if (!info) return null;
    const c = info.Config ?? {};
    return {
      id: info.Id,
      labels: c.Labels ?? {},
      digest: info.RepoDigests?.[0] ?? null,
      config: { user: c.User ?? '', entrypoint: asList(c.Entrypoint), cmd: asList(c.Cmd), workingDir: c.WorkingDir ?? '' },
    };
  }

  async build(context: NodeJS.ReadableStream, options: BuildOptions, onProgress?: (line: string) => void): Promise<string> {
    const stream = await docker(`build ${options.tag}`, () =>
      this.api.buildImage(context as NodeJS.ReadableStream, {
        t: options.tag,
        labels: options.labels,
        buildargs: options.buildArgs ?? {},
        rm: true,
        forcerm: true,
        pull: false,
      } as Dockerode.ImageBuildOptions),
    );
    const events = await this.follow(stream, onProgress);
    const failed = events.find((e) => e.error || e.errorDetail);
    if (failed) throw new RuntimeError(`build ${options.tag} failed: ${failed.errorDetail?.message ?? failed.error}`, 'failed');
    const built = await this.inspect(options.tag);
    if (!built) throw new RuntimeError(`build ${options.tag} produced no image`, 'failed');
    return built.id;
  }

  async importRootfs(rootfs: NodeJS.ReadableStream, options: { tag: string; changes: string[] }): Promise<void> {
    const [repo, tag] = splitRef(options.tag);
    const stream = await docker(`import ${options.tag}`, () =>
      this.api.importImage(rootfs as unknown as string, { repo, tag, changes: options.changes } as object),
    );
    const events = await this.follow(stream as NodeJS.ReadableStream);
    const failed = events.find((e) => e.error || e.errorDetail);
    if (failed) throw new RuntimeError(`import ${options.tag} failed: ${failed.errorDetail?.message ?? failed.error}`, 'failed');
  }

  async tryPull(ref: string): Promise<boolean> {
    try {
      const stream = await this.api.pull(ref);
      const events = await this.follow(stream);
      return !events.some((e) => e.error || e.errorDetail);
    } catch {
      return false;
    }
  }

  /** One engine builds and runs: an image built here is already where children run. */
  async distribute(ref: string): Promise<string> {
    return ref;
  }

  async remove(ref: string): Promise<void> {
    await docker(`remove image ${ref}`, () => this.api.getImage(ref).remove({ force: true }), undefined);
  }

  async list(labelFilters: string[]) {
    const images = await docker('list images', () => this.api.listImages({ filters: { label: labelFilters } }));
    return images.map((i) => ({ id: i.Id, tags: i.RepoTags ?? [], labels: i.Labels ?? {} }));
  }

  private follow(stream: NodeJS.ReadableStream, onProgress?: (line: string) => void): Promise<ProgressEvent[]> {
    return new Promise((resolve, reject) => {
      this.api.modem.followProgress(
        stream,
        (err: Error | null, events: ProgressEvent[]) => (err ? reject(err) : resolve(events ?? [])),
        (event: ProgressEvent) => {
          const line = (event.stream ?? event.status ?? '').trim();
          if (line && onProgress) onProgress(line);
        },
      );
    });
  }
}

function splitRef(ref: string): [string, string] {
  const at = ref.lastIndexOf(':');
  return at > ref.lastIndexOf('/') ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, 'latest'];
}

/** Docker keeps a shell-form command as one string: `sh -c` runs it. */
function asList(value: string | string[] | null | undefined): string[] {
  if (!value) return [];
  return typeof value === 'string' ? ['/bin/sh', '-c', value] : value;
}
