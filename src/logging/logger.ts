import { pino, type Logger, type DestinationStream } from 'pino';
import type { LogLevel } from '../config/forge-config.js';

export type { Logger };

/** Every logger derived from a root made by createLogger, held weakly so finished ones can go. */
const descendants = new WeakMap<Logger, Set<WeakRef<Logger>>>();

/** The forge's root logger: JSON lines; components take `logger.child({ component })`. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const children = new Set<WeakRef<Logger>>();
  let pruneAt = 256;
  const root = pino(
    {
      level,
      base: { service: 'mcp-forge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Called for children of children too (the hook is inherited).
      onChild: (child) => {
        children.add(new WeakRef(child));
        if (children.size < pruneAt) return;
        for (const ref of children) if (!ref.deref()) children.delete(ref);
        pruneAt = Math.max(256, children.size * 2);
      },
    },
    destination,
  );
  descendants.set(root, children);
  return root;
}

/**
 * Changes the level of `root` and of every logger already derived from it, at once. A pino
 * child made without a level of its own follows its parent's level; one made with a level (or
 * whose level was set) keeps its own, so those are set here one by one.
 */
export function setLogLevel(root: Logger, level: LogLevel): void {
  root.level = level;
  const children = descendants.get(root);
  for (const ref of children ?? []) {
    const child = ref.deref();
    if (!child) children!.delete(ref);
    else if (child.level !== level) child.level = level;
  }
}
