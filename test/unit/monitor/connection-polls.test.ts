import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mock } from 'node:test';
import { pino } from 'pino';
import { Monitor } from '../../../src/monitor/monitor.js';
import { Registry } from '../../../src/registry/registry.js';
import type { ServerRecord } from '../../../src/registry/server-record.js';
import type { Runtime } from '../../../src/runtime/runtime.js';
import type { Subscription } from '../../../src/runtime/child-stats.js';
import { LABELS } from '../../../src/runtime/labels.js';
import { testConfig } from '../../support/test-env.js';

const record = (id: string, port: number): ServerRecord => ({
  id, name: id, description: 'd', capabilities: [], handlers: [], options: {}, volume: null, credentials: null, port,
  container_name: `mcp-forge-${id}`, container_id: `c-${id}`, image: null, phase: 'ready', desired: 'running', status: 'running',
  error: null, limits: { cpu_percent: null, memory_bytes: null, memory_percent: null, io_read_bytes: null, io_write_bytes: null, connections: 5 },
  manual_restarts: 0, owner: 'admin', created_at: '', updated_at: '',
});

/** An engine with two running children whose streams never say anything. */
function quietEngine(serverIds: string[]): Runtime {
  const none: Subscription = { close() {} };
  return {
    events: async () => none,
    host: async () => ({ cpus: 2, memoryBytes: 8 * 2 ** 30 }),
    children: {
      list: async () => serverIds.map((id) => ({ id: `c-${id}`, name: id, labels: { [LABELS.serverId]: id }, status: 'running' })),
      inspect: async (id: string) => ({ id, running: true, status: 'running', restartCount: 0 }),
      streamStats: async () => none,
    },
  } as unknown as Runtime;
}

/** Lets every pending promise callback run (the polls are async). */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('monitor: connection polls never overlap', () => {
  const realFetch = globalThis.fetch;
  let dir: string;
  let monitor: Monitor;

  afterEach(() => {
    monitor?.stop();
    mock.timers.reset();
    globalThis.fetch = realFetch;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a slow child delays only its own next poll: one poll in flight per child, the others keep their pace', async () => {
    const config = testConfig({ monitor: { connections_interval_s: 1 } });
    dir = config.storage.data_dir;
    const registry = await Registry.open(dir, config.server.instance_id);
    await registry.insert(record('slow-one', 19501));
    await registry.insert(record('fast-one', 19502));

    const started = { slow: 0, fast: 0 };
    let inFlight = 0;
    let maxInFlight = 0;
    let answerSlow: () => void = () => undefined;
    globalThis.fetch = (async (url: string | URL) => {
      const slow = String(url).includes(':19501/');
      started[slow ? 'slow' : 'fast']++;
      if (!slow) return new Response(JSON.stringify({ connections: 1 }));
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Answers only when the test says so: longer than any number of intervals.
      await new Promise<void>((resolve) => (answerSlow = resolve));
      inFlight--;
      return new Response(JSON.stringify({ connections: 2 }));
    }) as typeof fetch;

    mock.timers.enable({ apis: ['setInterval'] });
    monitor = new Monitor(config, registry, quietEngine(['slow-one', 'fast-one']), pino({ level: 'silent' }));
    await monitor.start();
    await settle();

    for (let tick = 0; tick < 5; tick++) {
      mock.timers.tick(1000);
      await settle();
    }
    expect(started.slow, 'polls of the slow child').to.equal(1);
    expect(maxInFlight).to.equal(1);
    expect(started.fast, 'polls of the other child').to.equal(5);
    expect(monitor.watch('fast-one')!.connections).to.equal(1);

    answerSlow();
    await settle();
    expect(monitor.watch('slow-one')!.connections).to.equal(2);
    mock.timers.tick(1000);
    await settle();
    expect(started.slow, 'the slow child is polled again once its poll ended').to.equal(2);
    expect(started.fast).to.equal(6);
  });
});
