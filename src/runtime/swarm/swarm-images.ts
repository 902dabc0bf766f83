import type Dockerode from 'dockerode';
import { RuntimeError } from '../runtime.js';
import { docker } from '../docker/docker-errors.js';
import { DockerImages } from '../docker/docker-images.js';

type PushEvent = { status?: string; error?: string; errorDetail?: { message?: string }; aux?: { Digest?: string } };

/**
 * Images for a swarm: built on the forge's own engine (as DockerImages does), then pushed to
 * `runtime.registry` so every node pulls the same bytes by digest. Without a registry the image
 * stays on the forge's node: children can only run there (single-node swarms).
 */
export class SwarmImages extends DockerImages {
  private readonly pushed = new Map<string, Promise<string>>();

  constructor(
    private readonly engine: Dockerode,
    private readonly registry: string | null,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    super(engine);
  }

  /** `registry/repo@sha256:…` for a local image (pushed once per image id); the ref itself without a registry. */
  override async distribute(ref: string): Promise<string> {
    if (!this.registry) {
      this.warn(`runtime.registry is not set: ${ref} stays on this node, so children run only where the forge builds`);
      return ref;
    }
    if (ref.startsWith(`${this.registry}/`) && ref.includes('@sha256:')) return ref; // distributed already
    const image = await this.inspect(ref);
    if (!image) throw new RuntimeError(`distribute ${ref}: no such image`, 'not_found');
    let pushed = this.pushed.get(image.id);
    if (!pushed) {
      pushed = this.push(ref).catch((err) => {
        this.pushed.delete(image.id);
        throw err;
      });
      this.pushed.set(image.id, pushed);
    }
    return pushed;
  }

  private async push(ref: string): Promise<string> {
    const [repo, tag] = splitRef(ref);
    const target = `${this.registry}/${repo}`;
    await docker(`tag ${ref} as ${target}:${tag}`, () => this.engine.getImage(ref).tag({ repo: target, tag }));
    const stream = await docker(`push ${target}:${tag}`, () => this.engine.getImage(`${target}:${tag}`).push({ tag, authconfig: {} }));
    const events = await new Promise<PushEvent[]>((resolve, reject) =>
      this.engine.modem.followProgress(stream, (err: Error | null, out: PushEvent[]) => (err ? reject(err) : resolve(out ?? []))),
    );
    const failed = events.find((e) => e.error || e.errorDetail);
    if (failed) throw new RuntimeError(`push ${target}:${tag} failed: ${failed.errorDetail?.message ?? failed.error}`, 'failed');
    const digest = events.map((e) => e.aux?.Digest).find(Boolean);
    if (!digest) throw new RuntimeError(`push ${target}:${tag} reported no digest`, 'failed');
    return `${target}@${digest}`;
  }
}

function splitRef(ref: string): [string, string] {
  const at = ref.lastIndexOf(':');
  return at > ref.lastIndexOf('/') ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, 'latest'];
}
