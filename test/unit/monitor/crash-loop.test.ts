import { expect } from 'chai';
import { CrashLoopWindow } from '../../../src/monitor/crash-loop.js';

describe('CrashLoopWindow', () => {
  it('is looping once the threshold of restarts falls within the window', () => {
    const w = new CrashLoopWindow(3, 60_000);
    w.record(0);
    w.record(10_000);
    expect(w.looping(10_000)).to.equal(false);
    w.record(20_000);
    expect(w.looping(20_000)).to.equal(true);
    expect(w.count(20_000)).to.equal(3);
  });

  it('stops looping when restarts age out of the window', () => {
    const w = new CrashLoopWindow(3, 60_000);
    w.record(0, 3);
    expect(w.looping(59_999)).to.equal(true);
    expect(w.looping(60_000)).to.equal(false);
    expect(w.count(60_000)).to.equal(0);
  });

  it('does not count restarts spread wider than the window', () => {
    const w = new CrashLoopWindow(3, 60_000);
    for (let t = 0; t <= 600_000; t += 40_000) w.record(t);
    expect(w.looping(600_000)).to.equal(false);
  });

  it('stays small during a long loop', () => {
    const w = new CrashLoopWindow(3, 60_000);
    for (let t = 0; t < 50_000; t += 10) w.record(t);
    expect(w.count(50_000)).to.be.at.most(12);
    expect(w.looping(50_000)).to.equal(true);
  });
});
