import { expect } from 'chai';
import { loadConfig } from '../../../src/config/load-config.js';
import type { Monitor } from '../../../src/monitor/monitor.js';
import { SampleHistory } from '../../../src/monitor/sample-history.js';
import { memberSamples } from '../../../src/scaling/member-samples.js';

describe('memberSamples', () => {
  it("reads a memory rule as percent of the member's own limit, while memory_percent is of the host", () => {
    const history = new SampleHistory(4);
    // 64 MiB used of a 128 MiB limit on a 8 GiB host: 50 % of the limit, 0.781 % of the host.
    const sample = { cpu_percent: 12, memory_bytes: 64 * 2 ** 20, memory_rss: 0, memory_limit: 128 * 2 ** 20, memory_percent: 0.781, io_read_bytes: 0, io_write_bytes: 0, network_rx_bytes: 0, network_tx_bytes: 0, pids: 2 };
    history.push({ ...sample, time: 1_700_000_000_000 });
    const monitor = { watch: () => ({ history }) } as unknown as Monitor;
    const settings = loadConfig().monitor;
    expect(memberSamples(monitor, ['m1'], 'memory', 60_000, settings)[0]!.points.map((p) => p.value)).to.deep.equal([50]);
    expect(memberSamples(monitor, ['m1'], 'cpu', 60_000, settings)[0]!.points.map((p) => p.value)).to.deep.equal([12]);
  });
});
