import type { ServerRecord } from '../registry/server-record.js';

/**
 * The headers the forge sends to reach a child, or null when it cannot reach it: a child
 * guarded by Basic credentials (the `auth` unit) whose password the forge never keeps. One
 * function, injected into the pool, so a forge-issued child credential can replace it.
 */
export type ChildHeaders = (record: ServerRecord) => Record<string, string> | null;

export const defaultChildHeaders: ChildHeaders = (record) => (record.credentials ? null : {});
