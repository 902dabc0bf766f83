import { expect } from 'chai';
import { evaluateRule, windowAverage, type MemberSamples, type RuleContext } from '../../../src/scaling/rule-evaluator.js';

const NOW = 1_000_000;
/** Points one second apart ending at NOW, oldest first. */
const series = (serverId: string, values: number[]): MemberSamples => ({
  serverId,
  points: values.map((value, i) => ({ time: NOW - (values.length - 1 - i) * 1000, value })),
});
const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({ now: NOW, windowMs: 5000, minPoints: 3, lastActionAt: null, count: 2, min: 1, max: 4, ...over });
const up = { metric: 'cpu', threshold: 50, action: 'scale_up', cooldown: 60 } as const;
const down = { ...up, threshold: 10, action: 'scale_down' } as const;
const restart = { ...up, threshold: 80, action: 'restart' } as const;

describe('windowAverage', () => {
  it('averages only the points inside the window, and needs min points there', () => {
    const points = series('a', [1000, 1000, 10, 20, 30]).points; // the two 1000s are 4 and 3 s old
    expect(windowAverage(points, NOW, 3000, 3)).to.equal(20);
    expect(windowAverage(points, NOW, 3000, 4)).to.equal(null);
    expect(windowAverage(points, NOW, 10_000, 5)).to.equal(412);
    expect(windowAverage([], NOW, 3000, 1)).to.equal(null);
    expect(windowAverage([{ time: NOW + 1, value: 5 }], NOW, 3000, 1), 'a point from the future').to.equal(null);
  });
});

describe('evaluateRule', () => {
  it('does nothing without enough points in the window, however high one reading is', () => {
    const spike = evaluateRule(up, [series('a', [0, 0, 0, 0, 400])], ctx({ minPoints: 6 }));
    expect(spike).to.include({ act: false, held: null, observed: null });
    expect(spike.reason).to.match(/not enough data: no member has 6 cpu points in the last 5 s/);
    const old = evaluateRule(up, [{ serverId: 'a', points: [90, 90, 90].map((value, i) => ({ time: NOW - 60_000 + i, value })) }], ctx());
    expect(old.act, 'points older than the window').to.equal(false);
  });

  it('judges the window average, not one sample', () => {
    expect(evaluateRule(up, [series('a', [0, 0, 0, 0, 200])], ctx()).act, 'one spike: average 40').to.equal(false);
    const busy = evaluateRule(up, [series('a', [60, 70, 80])], ctx());
    expect(busy).to.include({ act: true, action: 'scale_up', serverId: null, observed: 70 });
    expect(busy.reason).to.contain('above 50% CPU').and.contain('2 → 3 members');
  });

  it('scale_up averages the members that report, and is strict at the threshold', () => {
    const members = [series('a', [90, 90, 90]), series('b', [10, 10, 10]), series('new', [99])];
    expect(evaluateRule(up, members, ctx({ count: 3 }))).to.include({ act: false, observed: 50 });
    expect(evaluateRule({ ...up, threshold: 49.9 }, members, ctx({ count: 3 }))).to.include({ act: true, observed: 50 });
    expect(evaluateRule({ ...up, threshold: 0 }, [series('a', [0.01, 0, 0])], ctx()).act, 'threshold 0: any use').to.equal(true);
    expect(evaluateRule({ ...up, threshold: 0 }, [series('a', [0, 0, 0])], ctx()).act).to.equal(false);
  });

  it('scale_up stops at max_instances and says why', () => {
    const result = evaluateRule(up, [series('a', [90, 90, 90])], ctx({ count: 4, max: 4 }));
    expect(result).to.include({ act: false, held: 'bounds' });
    expect(result.reason).to.contain('at max_instances (4)');
  });

  it('honours the cooldown from the last action, then acts again', () => {
    const hot = [series('a', [90, 90, 90])];
    const cooling = evaluateRule(up, hot, ctx({ lastActionAt: NOW - 59_500 }));
    expect(cooling).to.include({ act: false, held: 'cooldown' });
    expect(cooling.reason).to.contain('cooling down (1 s left)');
    expect(evaluateRule(up, hot, ctx({ lastActionAt: NOW - 60_000 })).act).to.equal(true);
    expect(evaluateRule({ ...up, cooldown: 0 }, hot, ctx({ lastActionAt: NOW })).act).to.equal(true);
  });

  it('scale_down removes the least busy member, never below min_instances', () => {
    const members = [series('a', [5, 6, 7]), series('b', [1, 2, 3]), series('c', [8, 8, 8])];
    const result = evaluateRule(down, members, ctx({ count: 3 }));
    expect(result).to.include({ act: true, action: 'scale_down', serverId: 'b' });
    expect(result.reason).to.contain('least busy member b (2% CPU)').and.contain('3 → 2 members');
    expect(evaluateRule(down, members, ctx({ count: 3, min: 3 }))).to.include({ act: false, held: 'bounds' });
    expect(evaluateRule(down, [series('a', [50, 50, 50])], ctx()).act, 'not below').to.equal(false);
  });

  it('never chooses a member an action is already under way on', () => {
    const members = [series('a', [5, 6, 7]), series('b', [1, 2, 3])];
    expect(evaluateRule(down, members, ctx({ busy: new Set(['b']) }))).to.include({ act: true, serverId: 'a' });
    expect(evaluateRule(down, members, ctx({ busy: new Set(['a', 'b']) }))).to.include({ act: false, held: null });
    const hot = [series('a', [95, 95, 95]), series('b', [85, 85, 85])];
    expect(evaluateRule(restart, hot, ctx({ busy: new Set(['a']) }))).to.include({ act: true, serverId: 'b' });
  });

  it('restart acts on the member whose own average is above the threshold, with a cooldown', () => {
    const members = [series('a', [99, 99, 99]), series('b', [10, 10, 10])];
    const result = evaluateRule(restart, members, ctx());
    expect(result).to.include({ act: true, action: 'restart', serverId: 'a', observed: 99 });
    expect(result.reason).to.contain('member a averaged 99% CPU');
    expect(evaluateRule(restart, [series('a', [70, 90, 70])], ctx()).act, 'average 76.7').to.equal(false);
    expect(evaluateRule(restart, members, ctx({ lastActionAt: NOW - 1000 }))).to.include({ held: 'cooldown' });
    expect(evaluateRule(restart, members, ctx({ count: 4, max: 4 })).act, 'bounds do not apply').to.equal(true);
  });

  it('reads memory and connections in their own units', () => {
    const memory = evaluateRule({ ...up, metric: 'memory', threshold: 40 }, [series('a', [41, 42, 43])], ctx());
    expect(memory.reason).to.contain('42% memory').and.contain('above 40% memory');
    const connections = evaluateRule({ ...down, metric: 'connections', threshold: 1 }, [series('a', [0, 0, 1]), series('b', [2, 0, 0])], ctx());
    expect(connections).to.include({ act: true, serverId: 'a' });
    expect(connections.reason).to.contain('0.33 connections');
  });
});
