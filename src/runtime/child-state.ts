import type { ChildState } from './runtime.js';

/**
 * What a child's state means to the forge, whatever engine reported it (each runtime maps its own
 * states onto ChildState: swarm task states, and on paper Kubernetes pod phases, docs/architecture.md).
 */

/** The engine keeps the child up: it runs, or its restart policy is bringing it back. */
export const isUp = (state: ChildState | null | undefined): boolean => state === 'running' || state === 'restarting';

/** The child stopped by itself and stays down (past its restart policy, or dead). */
export const hasEnded = (state: ChildState | null | undefined): boolean => state === 'exited' || state === 'dead';

/** Deployed but not running, and a start brings it up: never started, or stopped. */
export const awaitsStart = (state: ChildState | null | undefined): boolean => state === 'created' || state === 'exited';
