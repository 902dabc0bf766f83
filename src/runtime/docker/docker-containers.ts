import type Dockerode from 'dockerode';
import type { ChildClient, ChildInfo, ChildProcess, ChildSpec, ChildState, ChildSummary, HostInfo, ResourceLimits } from '../runtime.js';
import type { ChildStats, Subscription } from '../child-stats.js';
import { docker } from './docker-errors.js';
import { toContainerStats } from './docker-stats.js';
import { hostConfigFor, limitFields } from './host-config.js';
import { followJsonLines } from './json-lines.js';
import { logTail } from './log-tail.js';

/** Containers through dockerode. */
export class DockerContainers implements ChildClient {
  constructor(
    private readonly api: Dockerode,
    private readonly host: () => Promise<HostInfo>,
  ) {}

  async deploy(spec: ChildSpec): Promise<string> {
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

  /**
   * A container keeps the id of each network it was created on: after one was re-created under
   * the same name (Compose down and up) it cannot start. It is connected afresh, by name, and
   * started again; callers never learn of it.
   */
  async start(id: string) {
    try {
      await this.api.getContainer(id).start();
    } catch (err) {
      const detail = (err as { json?: { message?: string }; message?: string })?.json?.message ?? (err as Error)?.message ?? '';
      if (!/network [^ ]+ not found/i.test(detail)) return docker(`start container ${id}`, () => Promise.reject(err));
      await this.reconnect(id);
      await docker(`start container ${id}`, () => this.api.getContainer(id).start());
    }
  }

  private async reconnect(id: string) {
    const info = await docker(`inspect container ${id}`, () => this.api.getContainer(id).inspect());
    for (const name of Object.keys(info.NetworkSettings?.Networks ?? {})) {
      const network = this.api.getNetwork(name);
      // Force: the endpoint belongs to a network that no longer exists.
      await network.disconnect({ Container: id, Force: true }).catch(() => undefined);
      await docker(`connect ${id} to network ${name}`, () => network.connect({ Container: id }));
    }
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

  async inspect(idOrName: string): Promise<ChildInfo | null> {
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
      status: info.State.Status as ChildState,
      running: info.State.Running,
      startedAt: when(info.State.StartedAt),
      finishedAt: when(info.State.FinishedAt),
      exitCode: info.State.Running && !info.State.Restarting && !info.RestartCount ? null : info.State.ExitCode,
      oomKilled: info.State.OOMKilled,
      restartCount: info.RestartCount ?? 0,
      pid: info.State.Pid ?? 0,
      networkAddress: networks.find((n) => n.IPAddress)?.IPAddress ?? null,
      hostPort: binding?.[0]?.HostPort ? Number(binding[0].HostPort) : null,
      hostAddress: null,
      node: null,
    };
  }

  async list(labelFilters: string[]): Promise<ChildSummary[]> {
    const list = await docker('list containers', () => this.api.listContainers({ all: true, filters: { label: labelFilters } }));
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      image: c.Image,
      labels: c.Labels ?? {},
      status: c.State as ChildState,
    }));
  }

  async publishedPorts(): Promise<number[]> {
    const running = await docker('list containers', () => this.api.listContainers({ all: false }));
    return running.flatMap((c) => (c.Ports ?? []).map((p) => p.PublicPort).filter((p): p is number => typeof p === 'number'));
  }

  async processes(id: string): Promise<ChildProcess[]> {
    // A stopped container answers 409: it has no processes.
    const top = await docker(`processes of ${id}`, () => this.api.getContainer(id).top({ ps_args: '-o pid,ppid,comm' }), null).catch(() => null);
    if (!top) return [];
    const titles = (top.Titles ?? []).map((t: string) => t.toUpperCase());
    const [pid, ppid, comm] = ['PID', 'PPID', 'COMMAND'].map((t) => titles.indexOf(t));
    return ((top.Processes ?? []) as string[][]).map((row) => ({ pid: Number(row[pid!]), ppid: Number(row[ppid!]), command: row[comm!] ?? '' }));
  }

  logs(id: string, tail: number) {
    return logTail(this.api, id, tail);
  }

  async updateLimits(id: string, limits: ResourceLimits): Promise<{ restarted: boolean }> {
    const fields = limitFields(limits, await this.host(), 'update');
    await docker(`update container ${id}`, () => this.api.getContainer(id).update(fields));
    return { restarted: false };
  }

  async streamStats(id: string, onStats: (stats: ChildStats) => void, onEnd: (err: Error | null) => void): Promise<Subscription> {
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

  async statsOnce(id: string): Promise<ChildStats | null> {
    const raw = await docker(`stats of ${id}`, () => this.api.getContainer(id).stats({ stream: false }), null);
    return raw ? toContainerStats(raw as unknown as Record<string, unknown>) : null;
  }
}
