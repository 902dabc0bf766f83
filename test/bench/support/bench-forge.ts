import { Writable } from 'node:stream';
import type { ForgeConfig } from '../../../src/config/forge-config.js';
import type { DeepPartial } from '../../../src/config/load-config.js';
import { Forge } from '../../../src/forge.js';
import { createLogger } from '../../../src/logging/logger.js';
import { attach, type ForgeHandle } from '../../support/forge-fixture.js';
import { testConfig } from '../../support/test-env.js';

/** Children of bench forges get ports here; raw `docker run` baselines use BASELINE_PORTS. */
export const FORGE_PORTS = { start: 18000, end: 18399 };
export const BASELINE_PORTS = { start: 18400, end: 18499 };

/** An in-process forge (the test config: own data dir, instance, repository, run label) that records create_server phases. */
export interface BenchForge extends ForgeHandle {
  /** phases_ms of each successful create_server since the last `phases.length = 0`. */
  phases: Array<Record<string, number>>;
  /** create_server; throws unless the API answered success. */
  create(args: Record<string, unknown>): Promise<any>;
  /** delete_server for every registered server. */
  deleteAll(): Promise<void>;
}

/** Starts a forge on `config` (a testConfig with bench ports unless given) with a debug logger that keeps only the phase lines. */
export async function benchForge(overrides: DeepPartial<ForgeConfig> = {}, config?: ForgeConfig): Promise<BenchForge> {
  const phases: Array<Record<string, number>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.includes('"create_server phases"')) continue;
        phases.push(JSON.parse(line).phases_ms);
      }
      done();
    },
  });
  const cfg = config ?? testConfig({ children: { port_range_start: FORGE_PORTS.start, port_range_end: FORGE_PORTS.end }, ...overrides });
  const forge = await Forge.start(cfg, { log: createLogger('debug', sink) });
  const handle = await attach(forge);
  return {
    ...handle,
    phases,
    async create(args) {
      const result = await handle.call('create_server', args);
      if (result?.status !== 'success') throw new Error(`create_server failed: ${JSON.stringify(result).slice(0, 500)}`);
      return result.server;
    },
    async deleteAll() {
      for (const s of forge.registry.list()) await handle.call('delete_server', { server_id: s.id });
    },
  };
}
