import { expect } from 'chai';
import { toContainerEvent, toContainerStats } from '../../../src/runtime/docker/docker-stats.js';

/** A reading as dockerd 20.10 sends it on cgroup v1 (trimmed). */
const v1 = {
  read: '2026-11-21T08:40:05.544103572Z',
  pids_stats: { current: 7 },
  blkio_stats: {
    io_service_bytes_recursive: [
      { major: 8, minor: 0, op: 'Read', value: 4096 },
      { major: 8, minor: 0, op: 'Write', value: 512 },
      { major: 8, minor: 16, op: 'Read', value: 4 },
      { major: 8, minor: 0, op: 'Total', value: 4612 },
    ],
  },
  cpu_stats: { cpu_usage: { total_usage: 51768607, percpu_usage: [13660475, 38108132] }, system_cpu_usage: 1963850000000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 51635039 }, system_cpu_usage: 1961930000000, online_cpus: 2 },
  memory_stats: { usage: 6885376, stats: { total_inactive_file: 885376, total_rss: 6037504 }, limit: 25276514304 },
  networks: { eth0: { rx_bytes: 1398, tx_bytes: 10 }, eth1: { rx_bytes: 2, tx_bytes: 20 } },
};

describe('Docker stats and events parsing', () => {
  it('reads a cgroup v1 stats object', () => {
    expect(toContainerStats(v1)).to.deep.equal({
      read: new Date('2026-11-21T08:40:05.544Z'),
      cpu: { totalNs: 51768607, previousTotalNs: 51635039, systemNs: 1963850000000, previousSystemNs: 1961930000000, onlineCpus: 2 },
      memory: { usage: 6885376, inactiveFile: 885376, rss: 6037504, limit: 25276514304 },
      blockIo: { readBytes: 4100, writeBytes: 512 },
      network: { rxBytes: 1400, txBytes: 30 },
      pids: 7,
    });
  });

  it('reads cgroup v2 names', () => {
    const v2 = { ...v1, memory_stats: { usage: 100, stats: { inactive_file: 10, anon: 60 }, limit: 1000 } };
    expect(toContainerStats(v2)!.memory).to.deep.equal({ usage: 100, inactiveFile: 10, rss: 60, limit: 1000 });
  });

  it('drops the empty readings of a stopped container', () => {
    expect(toContainerStats({ read: '0001-01-01T00:00:00Z', name: '/x', id: 'x' })).to.equal(null);
  });

  it('reads a die event with its labels and exit code, and ignores other event types', () => {
    const raw = {
      Type: 'container',
      Action: 'die',
      Actor: { ID: 'abc', Attributes: { exitCode: '137', image: 'i', name: 'n', 'io.mcp-forge.server-id': 'mcp-1' } },
      time: 1700000000,
      timeNano: 1700000000123456789,
    };
    const event = toContainerEvent({ ...raw, timeNano: '1700000000123456789' })!;
    expect(event).to.deep.include({ action: 'die', childId: 'abc', exitCode: 137, labels: { 'io.mcp-forge.server-id': 'mcp-1' } });
    expect(event.time.getTime()).to.equal(1700000000123);
    expect(event.key).to.equal('1700000000123456789:abc:die');
    expect(toContainerEvent({ ...raw, Action: 'exec_start' })).to.equal(null);
    expect(toContainerEvent({ ...raw, Type: 'network' })).to.equal(null);
    expect(toContainerEvent({ ...raw, Action: 'oom' })!.exitCode).to.equal(null);
  });
});
