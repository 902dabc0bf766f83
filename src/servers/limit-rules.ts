import type { ForgeConfig } from '../config/forge-config.js';
import { ForgeError } from '../errors/forge-error.js';
import type { LimitSet, ServerRecord } from '../registry/server-record.js';
import type { HostInfo, ResourceLimits } from '../runtime/runtime.js';

export const LIMIT_NAMES = ['cpu_percent', 'memory_bytes', 'memory_percent', 'io_read_bytes', 'io_write_bytes', 'connections'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** Limits the container engine enforces (cgroups); the others are watched by the monitor. */
export const ENFORCED_LIMITS: readonly LimitName[] = ['cpu_percent', 'memory_bytes', 'memory_percent'];

/** The smallest memory limit accepted, whatever the engine (Docker's own floor; no child runs in less). */
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

export const NO_LIMITS: LimitSet = Object.freeze({
  cpu_percent: null,
  memory_bytes: null,
  memory_percent: null,
  io_read_bytes: null,
  io_write_bytes: null,
  connections: null,
});

/** A record's limits, every name present (entries written before a limit existed lack it). */
export const limitsOf = (record: Pick<ServerRecord, 'limits'>): LimitSet => ({ ...NO_LIMITS, ...record.limits });

/** The limits new servers start with (config `resources`). */
export function defaultLimits(resources: ForgeConfig['resources']): LimitSet {
  return {
    cpu_percent: resources.default_cpu_limit,
    memory_bytes: resources.default_memory_limit,
    memory_percent: resources.default_memory_percent ?? null,
    io_read_bytes: resources.default_io_read_bytes ?? null,
    io_write_bytes: resources.default_io_write_bytes ?? null,
    connections: resources.default_connections ?? null,
  };
}

/** The part of the limits the engine enforces. */
export const toResourceLimits = (limits: LimitSet): ResourceLimits => ({
  cpuPercent: limits.cpu_percent,
  memoryBytes: limits.memory_bytes,
  memoryPercent: limits.memory_percent,
});

const ranges = (host: HostInfo): Record<LimitName, { min: number; max: number; integer: boolean; unit: string }> => ({
  cpu_percent: { min: 1, max: host.cpus * 100, integer: false, unit: `percent of one core (this host has ${host.cpus} cores)` },
  memory_bytes: { min: MIN_MEMORY_BYTES, max: Number.MAX_SAFE_INTEGER, integer: true, unit: 'bytes' },
  memory_percent: { min: (MIN_MEMORY_BYTES / Math.max(1, host.memoryBytes)) * 100, max: 100, integer: false, unit: "percent of the host's memory" },
  io_read_bytes: { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true, unit: 'bytes' },
  io_write_bytes: { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true, unit: 'bytes' },
  connections: { min: 1, max: 1_000_000, integer: true, unit: 'open MCP sessions' },
});

/** A limit name and value checked against the host; ForgeError `invalid_request` names what is wrong. */
export function checkLimit(name: string, value: unknown, host: HostInfo): { name: LimitName; value: number | null } {
  if (!(LIMIT_NAMES as readonly string[]).includes(name)) {
    throw ForgeError.invalid(`unknown limit "${name.slice(0, 64)}"; limits: ${LIMIT_NAMES.join(', ')}`);
  }
  const limit = name as LimitName;
  if (value === null) return { name: limit, value: null };
  const range = ranges(host)[limit];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw ForgeError.invalid(`${limit} must be a number or null`);
  if (range.integer && !Number.isInteger(value)) throw ForgeError.invalid(`${limit} must be a whole number of ${range.unit}`);
  if (value < range.min || value > range.max) {
    // Whole units are exact; a fractional minimum is rounded up, so the stated minimum is accepted.
    const min = range.integer ? range.min : Math.ceil(range.min * 1000) / 1000;
    throw ForgeError.invalid(`${limit} must be between ${min} and ${range.max} ${range.unit}, or null to remove it; got ${value}`);
  }
  return { name: limit, value };
}
