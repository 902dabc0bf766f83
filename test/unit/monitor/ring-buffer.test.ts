import { expect } from 'chai';
import { RingBuffer } from '../../../src/monitor/ring-buffer.js';
import { SampleHistory } from '../../../src/monitor/sample-history.js';
import type { ProcessSample } from '../../../src/monitor/process-sample.js';

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.last()).to.deep.equal([]);
    ring.push(1);
    ring.push(2);
    expect(ring.last()).to.deep.equal([1, 2]);
    for (let i = 3; i <= 10; i++) ring.push(i);
    expect(ring.size).to.equal(3);
    expect(ring.last()).to.deep.equal([8, 9, 10]);
    expect(ring.last(2)).to.deep.equal([9, 10]);
    expect(ring.last(99)).to.deep.equal([8, 9, 10]);
    expect(ring.last(0)).to.deep.equal([]);
    ring.clear();
    expect(ring.size).to.equal(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).to.throw(RangeError);
    expect(() => new RingBuffer(1.5)).to.throw(RangeError);
  });
});

describe('SampleHistory', () => {
  const sample = (i: number): ProcessSample => ({
    time: 1_700_000_000_000 + i * 1000,
    cpu_percent: i,
    memory_bytes: i * 10,
    memory_rss: 0,
    memory_limit: 0,
    memory_percent: i / 10,
    io_read_bytes: i * 100,
    io_write_bytes: i * 1000,
    network_rx_bytes: 0,
    network_tx_bytes: 0,
    pids: 1,
  });

  it('stays at its capacity however many samples arrive, and returns the newest as points', () => {
    const history = new SampleHistory(4);
    for (let i = 1; i <= 1000; i++) history.push(sample(i));
    expect(history.size).to.equal(4);
    const points = history.last(10);
    expect(points.map((p) => p.cpu_percent)).to.deep.equal([997, 998, 999, 1000]);
    expect(points[3]).to.deep.equal({
      timestamp: 1_700_000_000 + 1000,
      cpu_percent: 1000,
      memory_bytes: 10000,
      memory_percent: 100,
      memory_limit: 0,
      io_read_bytes: 100000,
      io_write_bytes: 1000000,
    });
    expect(history.last(2).map((p) => p.cpu_percent)).to.deep.equal([999, 1000]);
  });
});
