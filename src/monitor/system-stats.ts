import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';

/** The host's figures (api-spec get_system_stats, without the server counts). */
export interface HostStats {
  /** Busy share of all cores since the previous reading, 0-100. */
  cpu_percent: number;
  memory_percent: number;
  memory_available: number;
  memory_total: number;
  disk_percent: number;
  disk_free: number;
  disk_total: number;
  network_sent_bytes: number;
  network_recv_bytes: number;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Idle and total CPU time of all cores together. */
function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/** Bytes sent and received by every interface but loopback (/proc/net/dev); zeros elsewhere. */
export function parseNetDev(text: string): { sent: number; recv: number } {
  let sent = 0;
  let recv = 0;
  for (const line of text.split('\n').slice(2)) {
    const [name, rest] = line.split(':');
    if (!rest || name!.trim() === 'lo') continue;
    const fields = rest.trim().split(/\s+/).map(Number);
    recv += fields[0] ?? 0;
    sent += fields[8] ?? 0;
  }
  return { sent, recv };
}

/** MemAvailable from /proc/meminfo in bytes (what the kernel can give without swapping), or null. */
export function parseMemAvailable(text: string): number | null {
  const match = /^MemAvailable:\s+(\d+)\s+kB/m.exec(text);
  return match ? Number(match[1]) * 1024 : null;
}

/** Reads the host's CPU, memory, disk (of the data directory's file system) and network. */
export class SystemStats {
  private previous = cpuTimes();
  private lastBusy = 0;

  constructor(private readonly diskPath: string) {}

  async read(): Promise<HostStats> {
    const now = cpuTimes();
    const total = now.total - this.previous.total;
    // CPU times tick every 10 ms: readings closer together than ~50 ms per core repeat the last figure.
    if (total >= 50 * os.cpus().length) {
      this.lastBusy = (1 - (now.idle - this.previous.idle) / total) * 100;
      this.previous = now;
    }
    const busy = this.lastBusy;
    const memoryTotal = os.totalmem();
    const available = parseMemAvailable(await readFile('/proc/meminfo', 'utf8').catch(() => '')) ?? os.freemem();
    const disk = await statfs(this.diskPath);
    const diskTotal = disk.blocks * disk.bsize;
    const diskFree = disk.bavail * disk.bsize;
    const diskUsed = (disk.blocks - disk.bfree) * disk.bsize;
    const net = parseNetDev(await readFile('/proc/net/dev', 'utf8').catch(() => ''));
    return {
      cpu_percent: round(Math.max(0, Math.min(100, busy))),
      memory_percent: round(((memoryTotal - available) / memoryTotal) * 100),
      memory_available: available,
      memory_total: memoryTotal,
      // As `df` counts it: used over what non-root users can have.
      disk_percent: diskUsed + diskFree > 0 ? round((diskUsed / (diskUsed + diskFree)) * 100) : 0,
      disk_free: diskFree,
      disk_total: diskTotal,
      network_sent_bytes: net.sent,
      network_recv_bytes: net.recv,
    };
  }
}
