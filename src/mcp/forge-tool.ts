import type { ConfigStore } from '../config/config-store.js';
import type { SchemaNode } from '../config/config-schema.js';
import type { ForgeConfig } from '../config/forge-config.js';
import type { Logger } from '../logging/logger.js';
import type { ForgeMetrics } from '../monitor/forge-metrics.js';
import type { Monitor } from '../monitor/monitor.js';
import type { ResourceReport } from '../monitor/resource-report.js';
import type { ServerStats } from '../monitor/server-stats.js';
import type { CapabilityCatalog } from '../render/capability-catalog.js';
import type { AutoScaling } from '../scaling/auto-scaling.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ServerLifecycle } from '../servers/server-lifecycle.js';
import type { ServerLimits } from '../servers/server-limits.js';
import type { ServerProvisioner } from '../servers/server-provisioner.js';
import type { ServerQueries } from '../servers/server-queries.js';
import type { AuditLog } from '../security/audit-log.js';
import type { Caller } from '../security/caller.js';
import type { Quotas } from '../security/quotas.js';

/** What tool handlers work with. */
export interface ForgeServices {
  config: ForgeConfig;
  catalog: CapabilityCatalog;
  provisioner: ServerProvisioner;
  lifecycle: ServerLifecycle;
  queries: ServerQueries;
  quotas: Quotas;
  audit: AuditLog;
  log: Logger;
  /** get_config / set_config: the live view of `config` and the only way to change it. */
  configStore: ConfigStore;
  runtime: Runtime;
  /** Monitoring and limits (issue 3). */
  monitor: Monitor;
  stats: ServerStats;
  limits: ServerLimits;
  reports: ResourceReport;
  metrics: ForgeMetrics;
  /** Auto-scaling groups and the scaler (issue 7). */
  scaling: AutoScaling;
}

/** Per-call context: the services, the caller, and a progress reporter (a no-op unless the client asked for progress). */
export interface ToolContext {
  services: ForgeServices;
  caller: Caller;
  progress(message: string): void;
}

/** A JSON Schema object as tools advertise and ajv validates it. */
export type JsonSchema = { type: 'object'; properties: Record<string, unknown>; required?: string[]; additionalProperties: false };

/**
 * One forge tool: the schema it advertises is the schema its arguments are validated
 * against. Handlers return the API's success shape or throw ForgeError.
 */
export interface ForgeTool<Args = any> {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
  /** The schema that tells which parts of these arguments are secret (`writeOnly`), when the input schema cannot (set_config's value). */
  secretsIn?(args: Record<string, unknown>): SchemaNode;
  handler(args: Args, ctx: ToolContext): Promise<Record<string, unknown>>;
}

/** The `server_id` parameter shared by the per-server tools. */
export const serverIdParam = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  description: 'Server id (mcp-YYYYMMDD-xxxxxx) or server name.',
} as const;

/** The input schema of a tool whose only parameter is `server_id`. */
export const serverIdOnlySchema: JsonSchema = {
  type: 'object',
  properties: { server_id: serverIdParam },
  required: ['server_id'],
  additionalProperties: false,
};
