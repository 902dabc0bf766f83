import type { ForgeConfig } from '../config/forge-config.js';
import type { Registry } from '../registry/registry.js';
import type { ChildInfo, Runtime } from '../runtime/runtime.js';
import type { ChildEvent } from '../runtime/child-stats.js';
import type { AlertLog, ExitDiagnosis } from './alert-log.js';
import { CrashLoopWindow } from './crash-loop.js';
import type { ThresholdGate } from './threshold-gate.js';

const STDERR_LINES = 10;
/** An `oom` event belongs to the `die` that follows it within this time. */
const OOM_MATCH_MS = 10_000;

/**
 * Tells deliberate stops from failures and turns failures into alerts with a diagnosis. A stop,
 * restart or removal through Docker (the forge's or anyone's) sends `kill` before `die`; a crash
 * or an OOM kill does not. Restart-count rises within the window make a crash loop. Alerts of one
 * kind for one server are held back for the cooldown (a crash loop gets its own alert).
 */
export class ExitTracker {
  private readonly kills = new Map<string, number>();
  private readonly ooms = new Map<string, number>();
  private readonly restarts = new Map<string, { containerId: string; count: number }>();
  private readonly windows = new Map<string, CrashLoopWindow>();
  private readonly lastExit = new Map<string, ExitDiagnosis>();

  constructor(
    private readonly config: ForgeConfig,
    private readonly registry: Registry,
    private readonly runtime: Runtime,
    private readonly alerts: AlertLog,
    private readonly gate: ThresholdGate,
  ) {}

  note(event: ChildEvent): void {
    if (event.action === 'kill') this.kills.set(event.childId, event.time.getTime());
    if (event.action === 'oom') this.ooms.set(event.childId, event.time.getTime());
    if (event.action === 'destroy') {
      this.kills.delete(event.childId);
      this.ooms.delete(event.childId);
    }
  }

  /** A container of the server runs: a restart count above the last one seen counts as restarts now. */
  started(serverId: string, info: ChildInfo, now = Date.now()): void {
    const before = this.restarts.get(serverId);
    this.restarts.set(serverId, { containerId: info.id, count: info.restartCount });
    const rise = before?.containerId === info.id ? info.restartCount - before.count : 0;
    const window = this.windowFor(serverId);
    if (rise > 0) window.record(now, rise);
    if (!this.gate.crossed(`${serverId}:crash_loop`, window.looping(now), now)) return;
    const record = this.registry.get(serverId);
    this.alerts.add({
      server_id: serverId,
      server_name: record?.name ?? serverId,
      kind: 'crash_loop',
      severity: 'critical',
      message: `server ${record?.name ?? serverId} is crash-looping: ${this.crashLoop(serverId, now)}`,
      ...(this.lastExit.has(serverId) ? { diagnosis: this.lastExit.get(serverId)! } : {}),
    });
  }

  async died(serverId: string, event: ChildEvent): Promise<void> {
    const at = event.time.getTime();
    const killedAt = this.kills.get(event.childId);
    this.kills.delete(event.childId);
    const deliberate = killedAt !== undefined && at - killedAt <= (this.config.children.stop_timeout_s + 30) * 1000;
    const oomEvent = () => {
      const oomAt = this.ooms.get(event.childId);
      return oomAt !== undefined && Math.abs(at - oomAt) <= OOM_MATCH_MS;
    };
    const record = this.registry.get(serverId);
    if (!record || (deliberate && !oomEvent())) return;
    const [info, logs] = await Promise.all([
      this.runtime.children.inspect(event.childId).catch(() => null),
      this.runtime.children.logs(event.childId, STDERR_LINES * 2).catch(() => ({ stdout: [], stderr: [] })),
    ]);
    // Checked after the awaits: the oom event may arrive just after die.
    const oom = oomEvent() || !!info?.oomKilled;
    this.ooms.delete(event.childId);
    const diagnosis: ExitDiagnosis = {
      exit_code: event.exitCode ?? info?.exitCode ?? null,
      oom_killed: oom,
      restart_count: info?.restartCount ?? 0,
      last_stderr: logs.stderr.slice(-STDERR_LINES),
    };
    this.lastExit.set(serverId, diagnosis);
    const kind = oom ? 'oom_killed' : 'unexpected_exit';
    if (!this.gate.event(`${serverId}:${kind}`, at)) return;
    this.alerts.add({
      server_id: serverId,
      server_name: record.name,
      kind,
      severity: oom ? 'critical' : 'warning',
      message: oom
        ? `server ${record.name} was killed for exceeding its memory limit (exit code ${diagnosis.exit_code})`
        : `server ${record.name} exited unexpectedly with code ${diagnosis.exit_code}`,
      diagnosis,
    });
  }

  /** Why the server counts as crash-looping now, or null. */
  crashLoop(serverId: string, now = Date.now()): string | null {
    const window = this.windows.get(serverId);
    if (!window?.looping(now)) return null;
    const last = this.lastExit.get(serverId);
    const exit = last ? `; last exit code ${last.exit_code}${last.oom_killed ? ' (out of memory)' : ''}` : '';
    return `crash loop: ${window.count(now)} restarts in the last ${this.config.monitor.crash_loop_window_s} s${exit}`;
  }

  forget(serverId: string): void {
    for (const map of [this.restarts, this.windows, this.lastExit]) map.delete(serverId);
  }

  private windowFor(serverId: string): CrashLoopWindow {
    let window = this.windows.get(serverId);
    if (!window) {
      window = new CrashLoopWindow(this.config.monitor.crash_loop_restarts, this.config.monitor.crash_loop_window_s * 1000);
      this.windows.set(serverId, window);
    }
    return window;
  }
}
