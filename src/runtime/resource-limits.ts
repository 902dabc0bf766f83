import type { HostInfo, ResourceLimits } from './runtime.js';

/** The memory limit in bytes the two memory settings give together (the lower one), or null for none. */
export function effectiveMemoryBytes(limits: ResourceLimits, host: HostInfo): number | null {
  const byPercent = limits.memoryPercent ? Math.floor((host.memoryBytes * limits.memoryPercent) / 100) : null;
  const candidates = [limits.memoryBytes, byPercent].filter((v): v is number => v !== null && v > 0);
  return candidates.length ? Math.min(...candidates) : null;
}
