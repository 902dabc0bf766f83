import { expect } from 'chai';
import { cpuPercent, memoryInUse, toSample } from '../../../src/monitor/process-sample.js';
import type { ChildStats } from '../../../src/runtime/child-stats.js';

const stats = (over: Partial<ChildStats['cpu']> = {}, memory: Partial<ChildStats['memory']> = {}): ChildStats => ({
  read: new Date('2026-01-01T00:00:01Z'),
  cpu: { totalNs: 0, previousTotalNs: 0, systemNs: 0, previousSystemNs: 0, onlineCpus: 2, ...over },
  memory: { usage: 100, inactiveFile: 0, rss: 80, limit: 1000, ...memory },
  blockIo: { readBytes: 1, writeBytes: 2 },
  network: { rxBytes: 3, txBytes: 4 },
  pids: 7,
});

describe('CPU percent (the docker CLI formula)', () => {
  it('is cpu_delta / system_delta * online_cpus * 100', () => {
    // 0.5 s of container CPU while the host's 2 CPUs ran 2 s: a quarter of the host, half a core.
    const cpu = { totalNs: 1.5e9, previousTotalNs: 1e9, systemNs: 12e9, previousSystemNs: 10e9, onlineCpus: 2 };
    expect(cpuPercent(cpu)).to.equal(50);
    expect(cpuPercent({ ...cpu, onlineCpus: 4 })).to.equal(100);
  });

  it('is 0 without a previous reading or without progress', () => {
    expect(cpuPercent({ totalNs: 5e9, previousTotalNs: 0, systemNs: 9e9, previousSystemNs: 0, onlineCpus: 2 })).to.equal(0);
    expect(cpuPercent({ totalNs: 1e9, previousTotalNs: 1e9, systemNs: 12e9, previousSystemNs: 10e9, onlineCpus: 2 })).to.equal(0);
    expect(cpuPercent({ totalNs: 2e9, previousTotalNs: 1e9, systemNs: 10e9, previousSystemNs: 10e9, onlineCpus: 2 })).to.equal(0);
  });
});

describe('memory in use', () => {
  it('leaves out inactive file cache, as docker stats does', () => {
    expect(memoryInUse({ usage: 100, inactiveFile: 30, rss: 0, limit: 1 })).to.equal(70);
    expect(memoryInUse({ usage: 100, inactiveFile: 300, rss: 0, limit: 1 })).to.equal(100);
  });

  it("gives the sample its percent of the host's memory (not of the limit) and the other counters", () => {
    const sample = toSample(stats({ totalNs: 2e9, previousTotalNs: 1e9, systemNs: 14e9, previousSystemNs: 10e9 }, { usage: 300, inactiveFile: 50 }), 10_000);
    expect(sample).to.deep.equal({
      time: Date.parse('2026-01-01T00:00:01Z'),
      cpu_percent: 50,
      memory_bytes: 250,
      memory_rss: 80,
      memory_limit: 1000,
      memory_percent: 2.5,
      io_read_bytes: 1,
      io_write_bytes: 2,
      network_rx_bytes: 3,
      network_tx_bytes: 4,
      pids: 7,
    });
  });

  it("falls back to the reading's limit (the host's memory for an unlimited child) when the host's is unknown", () => {
    expect(toSample(stats({ totalNs: 0, previousTotalNs: 0, systemNs: 0, previousSystemNs: 0 }, { usage: 300, inactiveFile: 50 }), 0).memory_percent).to.equal(25);
  });
});
