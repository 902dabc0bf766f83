import type { ForgeConfig } from '../config/forge-config.js';
import type { Logger } from '../logging/logger.js';
import type { KeyedLock } from '../registry/keyed-lock.js';
import type { Registry } from '../registry/registry.js';
import type { Runtime } from '../runtime/runtime.js';
import { ServerLimits } from '../servers/server-limits.js';
import type { ServerQueries } from '../servers/server-queries.js';
import { ForgeMetrics, serverMetricsFrom } from './forge-metrics.js';
import type { Monitor } from './monitor.js';
import { ResourceReport } from './resource-report.js';
import { ServerStats } from './server-stats.js';
import { SystemStats } from './system-stats.js';

/** The services the monitoring and limit tools use, wired around one Monitor. */
export function monitoringServices(deps: {
  config: ForgeConfig;
  registry: Registry;
  runtime: Runtime;
  queries: ServerQueries;
  monitor: Monitor;
  perServer: KeyedLock;
  log: Logger;
}) {
  const { config, registry, runtime, queries, monitor } = deps;
  const stats = new ServerStats(config, runtime, monitor, registry.instanceId);
  const limits = new ServerLimits(registry, runtime, queries, deps.perServer, deps.log.child({ component: 'limits' }));
  const reports = new ResourceReport(config, registry, runtime, queries, monitor, stats, new SystemStats(config.storage.data_dir));
  const metrics = new ForgeMetrics(
    serverMetricsFrom(
      () => queries.list(),
      (id) => registry.get(id)?.manual_restarts ?? 0,
      (id) => monitor.watch(id),
    ),
  );
  return { monitor, stats, limits, reports, metrics };
}
