import { expect } from 'chai';
import { ThresholdGate } from '../../../src/monitor/threshold-gate.js';
import { backoffMs } from '../../../src/monitor/backoff.js';

describe('ThresholdGate', () => {
  it('fires once when a condition becomes true, not while it stays true', () => {
    const gate = new ThresholdGate(0);
    expect(gate.crossed('a', false, 0)).to.equal(false);
    expect(gate.crossed('a', true, 1)).to.equal(true);
    expect(gate.crossed('a', true, 2)).to.equal(false);
    expect(gate.crossed('a', false, 3)).to.equal(false);
    expect(gate.crossed('a', true, 4)).to.equal(true);
    expect(gate.crossed('b', true, 4)).to.equal(true);
  });

  it('holds a new crossing back for the cooldown, then reports it if it persists', () => {
    const gate = new ThresholdGate(100);
    expect(gate.crossed('a', true, 0)).to.equal(true);
    expect(gate.crossed('a', false, 10)).to.equal(false);
    expect(gate.crossed('a', true, 20)).to.equal(false);
    expect(gate.crossed('a', true, 99)).to.equal(false);
    expect(gate.crossed('a', true, 100)).to.equal(true);
    expect(gate.crossed('a', true, 500)).to.equal(false);
  });

  it('lets one-off events through at most once per cooldown, and forgets by prefix', () => {
    const gate = new ThresholdGate(100);
    expect(gate.event('s1:exit', 0)).to.equal(true);
    expect(gate.event('s1:exit', 50)).to.equal(false);
    expect(gate.event('s1:exit', 100)).to.equal(true);
    gate.forget('s1:');
    expect(gate.event('s1:exit', 101)).to.equal(true);
  });
});

describe('backoffMs', () => {
  it('doubles from half a second and never exceeds the maximum', () => {
    expect([0, 1, 2, 3].map((a) => backoffMs(a, 30_000))).to.deep.equal([500, 1000, 2000, 4000]);
    expect(backoffMs(10, 30_000)).to.equal(30_000);
    expect(backoffMs(10_000, 30_000)).to.equal(30_000);
  });
});
