import { expect } from 'chai';
import { pino } from 'pino';
import { ForgeError } from '../../../src/errors/forge-error.js';
import { InFlight } from '../../../src/scaling/in-flight.js';
import { ruleBlocker } from '../../../src/scaling/member-samples.js';
import { RetryBackoff } from '../../../src/scaling/retry-backoff.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { ScalingEvents } from '../../../src/scaling/scaling-events.js';
import { checkBounds, checkParams, checkThreshold, type ScalingArgs } from '../../../src/scaling/scaling-params.js';

const message = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ForgeError);
    return (err as ForgeError).message;
  }
  throw new Error('expected a ForgeError');
};

describe('manage_auto_scaling parameter checks', () => {
  const args = (over: Partial<ScalingArgs>): ScalingArgs => ({ action: 'create_group', group_name: 'web', ...over }) as ScalingArgs;

  it('refuses parameters an action does not use and names what it takes', () => {
    expect(message(() => checkParams(args({ action: 'delete_group', min_instances: 1 })))).to.equal('delete_group does not use "min_instances"; it takes only group_name');
    expect(message(() => checkParams(args({ action: 'add_server', server_ids: ['a'], metric: 'cpu' })))).to.equal('add_server does not use "metric"; it takes group_name and "server_ids"');
  });

  it('refuses missing required parameters, and an update that changes nothing', () => {
    expect(message(() => checkParams(args({ action: 'add_rule', rule_name: 'r', metric: 'cpu' })))).to.equal('add_rule needs "threshold", "rule_action"');
    expect(message(() => checkParams(args({ action: 'update_group' })))).to.equal('update_group needs at least one of "min_instances", "max_instances"');
    expect(message(() => checkParams(args({ action: 'update_rule', rule_name: 'r' })))).to.contain('needs at least one of "metric", "threshold", "rule_action", "cooldown"');
    expect(() => checkParams(args({ min_instances: 1, max_instances: 2, server_ids: ['a'] }))).not.to.throw();
    expect(() => checkParams(args({ action: 'add_rule', rule_name: 'r', metric: 'cpu', threshold: 1, rule_action: 'restart', cooldown: 0 }))).not.to.throw();
  });

  it('checks bounds and thresholds', () => {
    expect(message(() => checkBounds(3, 2))).to.equal('min_instances (3) is above max_instances (2)');
    expect(message(() => checkBounds(0, 0))).to.contain('max_instances must be at least 1');
    expect(() => checkBounds(0, 1)).not.to.throw();
    expect(message(() => checkThreshold('cpu', -1, 2))).to.contain('must not be negative');
    expect(message(() => checkThreshold('cpu', 201, 2))).to.contain('at most 200');
    expect(message(() => checkThreshold('memory', 101, 2))).to.contain('at most 100');
    expect(() => checkThreshold('connections', 5000, 2)).not.to.throw();
  });
});

describe('ScalingEvents', () => {
  it('keeps the newest events, newest first, filtered by group', () => {
    const events = new ScalingEvents(3, pino({ level: 'silent' }));
    for (const group of ['a', 'b', 'a', 'a']) events.add({ group, action: 'top_up', outcome: 'decided', reason: group });
    expect(events.list().map((e) => e.id)).to.deep.equal([4, 3, 2]);
    expect(events.list({ group: 'a' }).map((e) => e.id)).to.deep.equal([4, 3]);
    expect(events.list({ group: 'a', limit: 1 })[0]).to.include({ id: 4, rule: null, server_id: null });
  });

  it('records a refusal once per state, again after the state was cleared', () => {
    const events = new ScalingEvents(10, pino({ level: 'silent' }));
    const refusal = { group: 'g', action: 'scale_up', rule: 'r' } as const;
    events.refuse('g/r:bounds', { ...refusal, reason: 'at max (cpu 50%)' });
    events.refuse('g/r:bounds', { ...refusal, reason: 'at max (cpu 60%)' });
    expect(events.list()).to.have.length(1);
    events.clear('g/r:');
    events.refuse('g/r:bounds', { ...refusal, reason: 'at max again' });
    expect(events.list().map((e) => [e.outcome, e.reason])).to.deep.equal([['refused', 'at max again'], ['refused', 'at max (cpu 50%)']]);
  });
});

describe('InFlight', () => {
  it('tracks actions per group until they end, and settles', async () => {
    const flights = new InFlight();
    let finish!: () => void;
    flights.run('g', { kind: 'creating', key: 'g-abc123' }, () => new Promise<void>((resolve) => (finish = resolve)));
    flights.run('g', { kind: 'restarting', key: 'mcp-1' }, async () => undefined);
    flights.run('h', { kind: 'deleting', key: 'mcp-2' }, async () => undefined);
    expect([...flights.creating('g')]).to.deep.equal(['g-abc123']);
    expect(flights.scaling('g')).to.equal(true);
    expect([...flights.busy()].sort()).to.deep.equal(['mcp-1', 'mcp-2']);
    const settled = flights.settle('g');
    finish();
    await settled;
    await flights.settle();
    expect(flights.scaling('g')).to.equal(false);
    expect(flights.scaling('h')).to.equal(false);
    expect([...flights.busy()]).to.deep.equal([]);
  });
});

describe('RetryBackoff', () => {
  it('waits longer after each failure, up to the maximum, and forgets on success', () => {
    const retries = new RetryBackoff(1500);
    expect(retries.ready('k', 0)).to.equal(true);
    retries.failed('k', 0);
    expect([retries.ready('k', 499), retries.ready('k', 500)]).to.deep.equal([false, true]);
    retries.failed('k', 500);
    expect([retries.ready('k', 1499), retries.ready('k', 1500)]).to.deep.equal([false, true]);
    for (let i = 0; i < 5; i++) retries.failed('k', 2000);
    expect([retries.ready('k', 3499), retries.ready('k', 3500)]).to.deep.equal([false, true]);
    retries.failed('k', 4000);
    retries.succeeded('k');
    expect(retries.ready('k', 4000)).to.equal(true);
    expect(retries.ready('other', 0)).to.equal(true);
  });
});

describe('ruleBlocker', () => {
  it('names the setting that keeps a rule from ever having enough data', () => {
    const config = loadConfig({ overrides: { monitor: { history_interval_s: 5, connections_interval_s: 30 }, scaling: { window_s: 60, min_points: 3 } } });
    expect(ruleBlocker('cpu', config)).to.equal(null);
    expect(ruleBlocker('connections', config)).to.equal(
      'scaling.window_s (60 s) cannot hold scaling.min_points (3) points taken every 30 s (monitor.connections_interval_s)',
    );
    expect(ruleBlocker('memory', { ...config, monitor: { ...config.monitor, enabled: false } })).to.contain('monitor.enabled is false');
  });
});
