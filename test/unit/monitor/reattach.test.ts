import { expect } from 'chai';
import { pino } from 'pino';
import { ChildWatch } from '../../../src/monitor/child-watch.js';
import { EventWatch } from '../../../src/monitor/event-watch.js';
import type { Runtime } from '../../../src/runtime/runtime.js';
import type { ChildEvent, ChildStats, Subscription } from '../../../src/runtime/child-stats.js';
import { pollUntil } from '../../support/poll.js';

const log = pino({ level: 'silent' });
const event = (n: number, action: ChildEvent['action'] = 'start'): ChildEvent => ({
  action,
  childId: 'c1',
  labels: {},
  exitCode: null,
  time: new Date(1_700_000_000_000 + n * 1000),
  key: `${n}:c1:${action}`,
});
const reading = (n: number): ChildStats => ({
  read: new Date(1_700_000_000_000 + n * 1000),
  cpu: { totalNs: n * 1e8, previousTotalNs: (n - 1) * 1e8, systemNs: n * 2e9, previousSystemNs: (n - 1) * 2e9, onlineCpus: 2 },
  memory: { usage: 100, inactiveFile: 0, rss: 100, limit: 1000 },
  blockIo: { readBytes: 0, writeBytes: 0 },
  network: { rxBytes: 0, txBytes: 0 },
  pids: 1,
});

/** A stand-in engine whose streams the test drives by hand. */
function fakeEngine() {
  const calls = { events: [] as Array<Date | undefined>, stats: 0, inspect: 0 };
  const open = { events: null as null | { push: (e: ChildEvent) => void; end: (err: Error | null) => void }, stats: null as null | { push: (s: ChildStats) => void; end: (err: Error | null) => void } };
  let running = true;
  let failNextEvents = true;
  const runtime = {
    async events(_filters: string[], onEvent: (e: ChildEvent) => void, onEnd: (err: Error | null) => void, since?: Date): Promise<Subscription> {
      calls.events.push(since);
      if (failNextEvents) {
        failNextEvents = false;
        throw new Error('connect ECONNREFUSED');
      }
      open.events = { push: onEvent, end: onEnd };
      return { close: () => (open.events = null) };
    },
    children: {
      async streamStats(_id: string, onStats: (s: ChildStats) => void, onEnd: (err: Error | null) => void): Promise<Subscription> {
        calls.stats++;
        open.stats = { push: onStats, end: onEnd };
        return { close: () => (open.stats = null) };
      },
      async inspect() {
        calls.inspect++;
        return { running } as never;
      },
    },
  } as unknown as Runtime;
  return { runtime, calls, open, stop: () => (running = false) };
}

describe('re-attaching streams', () => {
  it('the events stream retries a failed connect, replays from the last event and drops what it already saw', async () => {
    const engine = fakeEngine();
    const seen: string[] = [];
    let reattached = 0;
    const watch = new EventWatch(engine.runtime, [], { onEvent: (e) => seen.push(e.key), onReattach: () => reattached++ }, 5, log);
    await watch.start();
    await pollUntil(async () => engine.open.events, (o) => o !== null, 'the second connect');
    expect(reattached).to.equal(1);
    engine.open.events!.push(event(1));
    engine.open.events!.push(event(2, 'die'));
    engine.open.events!.end(new Error('socket hang up'));
    await pollUntil(async () => engine.calls.events.length, (n) => n === 3, 'a re-attach after the failure');
    await pollUntil(async () => engine.open.events, (o) => o !== null, 'the re-attached stream');
    expect(engine.calls.events[2]!.getTime()).to.equal(event(2).time.getTime());
    engine.open.events!.push(event(2, 'die')); // replayed
    engine.open.events!.push(event(3));
    expect(seen).to.deep.equal(['1:c1:start', '2:c1:die', '3:c1:start']);
    expect(reattached).to.equal(2);
    watch.stop();
    expect(engine.open.events).to.equal(null);
  });

  it('a stats stream lost while the container runs comes back; once it stops, the watch lets go', async () => {
    const engine = fakeEngine();
    const samples: number[] = [];
    const watch = new ChildWatch('s1', engine.runtime, { historyCapacity: 3, historyIntervalMs: 1000, maxBackoffMs: 5 }, (_w, s) => samples.push(s.cpu_percent), log);
    watch.attach('c1');
    await pollUntil(async () => engine.open.stats, (o) => o !== null, 'the stream');
    engine.open.stats!.push(reading(1));
    engine.open.stats!.end(new Error('read ECONNRESET'));
    await pollUntil(async () => engine.calls.stats, (n) => n === 2, 'the stream re-attached');
    await pollUntil(async () => engine.open.stats, (o) => o !== null, 'the new stream');
    engine.open.stats!.push(reading(2));
    expect(samples).to.deep.equal([0, 10]); // the first reading has no previous one
    expect(watch.history.size).to.equal(2);
    expect(watch.following).to.equal(true);

    engine.stop();
    engine.open.stats!.end(null);
    await pollUntil(async () => watch.following, (f) => f === false, 'the watch to let go');
    expect(engine.calls.stats).to.equal(2);
    expect(watch.latest).to.equal(null);
    expect(watch.history.size).to.equal(2);
  });
});
