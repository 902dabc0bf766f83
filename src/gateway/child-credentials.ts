import type { ServerRecord } from '../registry/server-record.js';

/**
 * The headers the forge sends to reach a child, or null when it cannot reach it. By default the
 * child's internal token (servers/child-auth-headers.ts), which every child the forge made accepts.
 */
export type ChildHeaders = (record: ServerRecord) => Record<string, string> | null;
