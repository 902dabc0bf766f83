import type Dockerode from 'dockerode';
import { PassThrough, Readable } from 'node:stream';
import type { ContainerClient, ContainerInfo, ContainerSpec, ContainerStatus, ContainerSummary, HostInfo, ResourceLimits } from '../container-runtime.js';
import type { ContainerStats, Subscription } from '../container-stats.js';
import { docker } from './docker-errors.js';
import { toContainerStats } from './docker-stats.js';
import { hostConfigFor, limitFields } from './host-config.js';
import { followJsonLines } from './json-lines.js';

/** Docker's `tail` counts lines of both streams together; it grows until each stream has its share. */
const LOG_TAIL_CAP = 100_000;

/** Containers through dockerode. */
export class DockerContainers implements ContainerClient {
  constructor(
    private readonly api: Dockerode,
    private readonly host: () => Promise<HostInfo>,
  ) {}

  async create(spec: ContainerSpec): Promise<string> {
    const portKey = `${spec.containerPort}/tcp`;
    const host = await this.host();
    const container = await docker(`create container ${spec.name}`, () =>
      this.api.createContainer({
        name: spec.name,
        Image: spec.image,
        Labels: spec.labels,
        User: spec.hardening.user,
        Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
        ...(spec.cmd ? { Cmd: spec.cmd } : {}),
        ExposedPorts: { [portKey]: {} },
        StopTimeout: spec.stopTimeoutS,
        HostConfig: hostConfigFor(spec, host),
      }),
    );
    return container.id;
  }

  async start(id: string) {
    await docker(`start container ${id}`, () => this.api.getContainer(id).start());
  }

  async stop(id: string, timeoutS: number) {
    try {
      await this.api.getContainer(id).stop({ t: timeoutS });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 304) return; // already stopped
      await docker(`stop container ${id}`, () => Promise.reject(err));
    }
  }

  async restart(id: string, timeoutS: number) {
    await docker(`restart container ${id}`, () => this.api.getContainer(id).restart({ t: timeoutS }));
  }

  async remove(id: string) {
    await docker(`remove container ${id}`, () => this.api.getContainer(id).remove({ force: true, v: true }), undefined);
  }

  async inspect(idOrName: string): Promise<ContainerInfo | null> {
    const info = await docker(`inspect container ${idOrName}`, () => this.api.getContainer(idOrName).inspect(), null);
    if (!info) return null;
    const networks = Object.values(info.NetworkSettings?.Networks ?? {});
    const binding = Object.values(info.HostConfig?.PortBindings ?? {})[0] as Array<{ HostPort?: string }> | undefined;
    const when = (s?: string) => (s && !s.startsWith('0001-') ? new Date(s) : null);
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      image: info.Config.Image,
      labels: info.Config.Labels ?? {},
      status: info.State.Status as ContainerStatus,
      running: info.State.Running,
      startedAt: when(info.State.StartedAt),
      finishedAt: when(info.State.FinishedAt),
      exitCode: info.State.Running && !info.State.Restarting && !info.RestartCount ? null : info.State.ExitCode,
      oomKilled: info.State.OOMKilled,
      restartCount: info.RestartCount ?? 0,
      pid: info.State.Pid ?? 0,
      networkAddress: networks.find((n) => n.IPAddress)?.IPAddress ?? null,
      hostPort: binding?.[0]?.HostPort ? Number(binding[0].HostPort) : null,
    };
  }

  async list(labelFilters: string[]): Promise<ContainerSummary[]> {
    const list = await docker('list containers', () => this.api.listContainers({ all: true, filters: { label: labelFilters } }));
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      labels: c.Labels ?? {},
      status: c.State as ContainerStatus,
    }));
  }

  async publishedPorts(): Promise<number[]> {
    const running = await docker('list containers', () => this.api.listContainers({ all: false }));
    return running.flatMap((c) => (c.Ports ?? []).map((p) => p.PublicPort).filter((p): p is number => typeof p === 'number'));
  }

  async logs(id: string, tail: number) {
    for (let asked = Math.max(100, tail * 4); ; asked *= 4) {
      const found = await this.logsOnce(id, Math.min(asked, LOG_TAIL_CAP));
      const complete = found.stdout.length >= tail && found.stderr.length >= tail;
      if (complete || found.stdout.length + found.stderr.length < asked || asked >= LOG_TAIL_CAP) {
        return { stdout: found.stdout.slice(-tail), stderr: found.stderr.slice(-tail) };
      }
    }
  }

  async update(id: string, limits: ResourceLimits): Promise<void> {
    const fields = limitFields(limits, await this.host(), 'update');
    await docker(`update container ${id}`, () => this.api.getContainer(id).update(fields));
  }

  async streamStats(id: string, onStats: (stats: ContainerStats) => void, onEnd: (err: Error | null) => void): Promise<Subscription> {
    const stream = await docker(`stats of ${id}`, () => this.api.getContainer(id).stats({ stream: true }));
    return followJsonLines(
      stream as NodeJS.ReadableStream,
      (raw) => {
        const stats = toContainerStats(raw as Record<string, unknown>);
        if (stats) onStats(stats);
      },
      onEnd,
    );
  }

  async statsOnce(id: string): Promise<ContainerStats | null> {
    const raw = await docker(`stats of ${id}`, () => this.api.getContainer(id).stats({ stream: false }), null);
    return raw ? toContainerStats(raw as unknown as Record<string, unknown>) : null;
  }

  private async logsOnce(id: string, tail: number) {
    const raw = await docker(`logs of ${id}`, () =>
      this.api.getContainer(id).logs({ stdout: true, stderr: true, follow: false, tail }),
    );
    const out = new PassThrough();
    const err = new PassThrough();
    const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    out.on('data', (c: Buffer) => chunks.stdout.push(c));
    err.on('data', (c: Buffer) => chunks.stderr.push(c));
    const source = Readable.from([Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))]);
    this.api.modem.demuxStream(source, out, err);
    await new Promise<void>((resolve) => source.on('end', () => setImmediate(resolve)));
    const lines = (parts: Buffer[]) => Buffer.concat(parts).toString('utf8').split('\n').filter((l) => l.length > 0);
    return { stdout: lines(chunks.stdout), stderr: lines(chunks.stderr) };
  }
}
