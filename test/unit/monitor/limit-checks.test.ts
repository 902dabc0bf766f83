import { expect } from 'chai';
import { checkLimits } from '../../../src/monitor/limit-checks.js';
import type { ProcessSample } from '../../../src/monitor/process-sample.js';
import { NO_LIMITS } from '../../../src/servers/limit-rules.js';

const sample: ProcessSample = {
  time: 0,
  cpu_percent: 46,
  memory_bytes: 95,
  memory_rss: 90,
  memory_limit: 100,
  memory_percent: 95,
  io_read_bytes: 1000,
  io_write_bytes: 10,
  network_rx_bytes: 0,
  network_tx_bytes: 0,
  pids: 3,
};

describe('checkLimits', () => {
  it('checks nothing without limits', () => {
    expect(checkLimits(NO_LIMITS, sample, 5, 90)).to.deep.equal([]);
  });

  it('puts enforced limits over at the threshold share and watched ones over when passed', () => {
    const limits = { ...NO_LIMITS, cpu_percent: 50, memory_bytes: 100, io_read_bytes: 999, io_write_bytes: 10, connections: 2 };
    const byName = Object.fromEntries(checkLimits(limits, sample, 3, 90).map((c) => [c.name, c]));
    expect(byName.cpu_percent).to.deep.equal({ name: 'cpu_percent', value: 50, observed: 46, over: true });
    expect(byName.memory_bytes).to.deep.equal({ name: 'memory_bytes', value: 100, observed: 95, over: true });
    expect(byName.io_read_bytes!.over).to.equal(true);
    expect(byName.io_write_bytes!.over).to.equal(false);
    expect(byName.connections).to.deep.equal({ name: 'connections', value: 2, observed: 3, over: true });
    expect(checkLimits(limits, sample, 3, 95).find((c) => c.name === 'cpu_percent')!.over).to.equal(false);
  });

  it('names the memory setting that gives the cgroup limit, in its own unit (percent of the host, as the reading)', () => {
    // A host of 10 000 bytes: 1 % is the 100-byte limit, and 95 bytes are 0.95 % of the host.
    const checks = checkLimits({ ...NO_LIMITS, memory_bytes: 10_000, memory_percent: 1 }, { ...sample, memory_percent: 0.95 }, null, 90);
    expect(checks).to.deep.equal([{ name: 'memory_percent', value: 1, observed: 0.95, over: true }]);
  });

  it('skips the connections limit while the child has not reported its sessions', () => {
    expect(checkLimits({ ...NO_LIMITS, connections: 1 }, sample, null, 90)).to.deep.equal([]);
  });
});
