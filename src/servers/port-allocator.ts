import { ForgeError } from '../errors/forge-error.js';

/**
 * The lowest port of the range that no registry entry holds and that Docker has not
 * refused lately. Pure: the caller holds the registry lock while it picks and records.
 */
export function allocatePort(range: { start: number; end: number }, used: Iterable<number>, refused: ReadonlySet<number>): number {
  const taken = new Set(used);
  for (let port = range.start; port <= range.end; port++) {
    if (!taken.has(port) && !refused.has(port)) return port;
  }
  throw new ForgeError('limit_exceeded', `no free port left in ${range.start}-${range.end}`);
}
