import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, mergeSections, type DeepPartial } from '../../src/config/load-config.js';
import type { ForgeConfig } from '../../src/config/forge-config.js';
import { packageRoot } from '../../src/config/paths.js';

/**
 * One id per test run: every Docker object a test creates carries it as TEST_LABEL. Kept in
 * the environment because mocha loads the root hooks and the specs as separate module graphs.
 */
export const RUN_ID = (process.env.MCP_FORGE_TEST_RUN ??= `t${Date.now().toString(36)}${randomBytes(2).toString('hex')}`);
export const TEST_LABEL = 'io.mcp-forge.test';
export const TEST_LABEL_FILTER = `${TEST_LABEL}=${RUN_ID}`;
/**
 * Child images of this worker's test forges. Files run in parallel workers; a repository per
 * worker keeps a file's image counts its own (files within one worker run one after another).
 */
export const TEST_REPOSITORY = `mcp-forge-test/${RUN_ID}-${process.pid}`;
/**
 * Child ports of this worker's test forges: a third of 19001-19999 per parallel worker (up to three). A stopped
 * child publishes nothing, so another worker's forge would otherwise take its port meanwhile.
 */
const WORKER = Number(process.env.MOCHA_WORKER_ID ?? 0) % 3;
/** TEST_PORT_BASE moves the whole range (checkouts, or the docker and swarm suites, side by side on one daemon). */
const PORT_BASE = Number(process.env.TEST_PORT_BASE ?? 19001);
export const TEST_PORTS = { start: PORT_BASE + WORKER * 333, end: PORT_BASE + 332 + WORKER * 333 };

let forges = 0;

/** The runtime the tests run against (FORGE_RUNTIME; docker unless set). */
export function runtimeKind(): 'docker' | 'swarm' {
  return process.env.FORGE_RUNTIME === 'swarm' ? 'swarm' : 'docker';
}

/**
 * Swarm: children pinned to the manager (worker nodes another test joins must not take them)
 * and their images pushed to the test registry.
 */
const runtimeSection = (): DeepPartial<ForgeConfig>['runtime'] =>
  runtimeKind() === 'swarm'
    ? { kind: 'swarm', placement: ['node.role==manager'], registry: process.env.FORGE_RUNTIME_REGISTRY ?? '127.0.0.1:5000' }
    : { kind: 'docker' };

/** A config for a test forge: own data dir, own instance id, own child image repository, the run's label. */
export function testConfig(overrides: DeepPartial<ForgeConfig> = {}): ForgeConfig {
  const n = ++forges;
  const base: DeepPartial<ForgeConfig> = {
    server: { port: 0, log_level: (process.env.TEST_LOG_LEVEL as ForgeConfig['server']['log_level']) ?? 'silent', instance_id: `${RUN_ID}-${n}-${randomBytes(2).toString("hex")}` },
    children: { port_range_start: TEST_PORTS.start, port_range_end: TEST_PORTS.end, ready_timeout_s: 30, stop_timeout_s: 2 },
    // FORGE_CHILD_BASE_IMAGE lets parallel checkouts with different child runtimes keep their own base.
    images: { child_repository: TEST_REPOSITORY, ...(process.env.FORGE_CHILD_BASE_IMAGE ? { child_base: process.env.FORGE_CHILD_BASE_IMAGE } : {}) },
    storage: { data_dir: mkdtempSync(path.join(os.tmpdir(), `mcp-forge-test-${n}-`)) },
    docker: { extra_labels: { [TEST_LABEL]: RUN_ID } },
    runtime: runtimeSection(),
    // Test templates live in temporary folders and under test/.
    templates: { allowed_dirs: [os.tmpdir(), path.join(packageRoot, 'test')] },
  };
  return loadConfig({ overrides: mergeSections(base as Record<string, any>, overrides as Record<string, any>) as DeepPartial<ForgeConfig> });
}
