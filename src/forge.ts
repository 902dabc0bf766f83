import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigStore } from './config/config-store.js';
import type { ForgeConfig, LogLevel } from './config/forge-config.js';
import { builtinTemplatesDir } from './config/paths.js';
import { PinnedSessions } from './gateway/pinned-sessions.js';
import { RegistryTargets } from './gateway/registry-targets.js';
import { createApp } from './http/create-app.js';
import { SseSessions } from './http/sse-sessions.js';
import { StreamableSessions } from './http/streamable-sessions.js';
import { BaseImages } from './images/base-images.js';
import { createLogger, setLogLevel, type Logger } from './logging/logger.js';
import { createForgeMcpServer } from './mcp/forge-mcp-server.js';
import type { ForgeServices } from './mcp/forge-tool.js';
import { ResourceTable } from './mcp/resource-table.js';
import { forgeResources, forgeResourceTemplates } from './mcp/resources/index.js';
import { ToolTable } from './mcp/tool-table.js';
import { forgeTools } from './mcp/tools/index.js';
import { Monitor } from './monitor/monitor.js';
import { monitoringServices } from './monitor/monitoring-services.js';
import { KeyedLock } from './registry/keyed-lock.js';
import { Registry } from './registry/registry.js';
import { CapabilityCatalog } from './render/capability-catalog.js';
import { ChildContextRenderer } from './render/child-context.js';
import type { ContainerRuntime } from './runtime/container-runtime.js';
import { DockerRuntime } from './runtime/docker/docker-runtime.js';
import { imageLabels, LABELS } from './runtime/labels.js';
import { childNetwork } from './servers/child-spec.js';
import { ChildImages } from './servers/child-images.js';
import { McpInitializeWait } from './servers/mcp-ready.js';
import { Reconciler, type ReconcileReport } from './servers/reconciler.js';
import { ServerLifecycle } from './servers/server-lifecycle.js';
import { ServerProvisioner } from './servers/server-provisioner.js';
import { ServerQueries } from './servers/server-queries.js';
import { AutoScaling } from './scaling/auto-scaling.js';
import { AuditLog } from './security/audit-log.js';
import { configuredTokens } from './security/bearer-auth.js';
import { Quotas } from './security/quotas.js';

/** A running forge: its HTTP endpoint, services and what start-up reconciliation found. */
export class Forge {
  private constructor(
    readonly config: ForgeConfig,
    readonly services: ForgeServices,
    readonly registry: Registry,
    readonly reconcileReport: ReconcileReport,
    private readonly httpServer: http.Server,
    private readonly sessions: { streamable: StreamableSessions; sse: SseSessions },
    readonly log: Logger,
    private readonly monitor: Monitor,
    private readonly scaling: AutoScaling,
  ) {}

  /** Wires everything from one config, reconciles with Docker, and starts listening. */
  static async start(config: ForgeConfig, options: { log?: Logger; runtime?: ContainerRuntime } = {}): Promise<Forge> {
    const log = options.log ?? createLogger(config.server.log_level);
    // Templates first: a broken unit stops start-up (TemplateError names it) before anything is touched.
    const templatesDir = config.templates.dir ?? builtinTemplatesDir;
    const catalog = await CapabilityCatalog.load(templatesDir);
    const renderer = new ChildContextRenderer(templatesDir, catalog, {
      childBase: config.images.child_base,
      containerPort: config.children.container_port,
    });
    renderer.verify();
    const runtime = options.runtime ?? new DockerRuntime(config.docker.socket_path);
    await runtime.ping();
    const configStore = ConfigStore.open(
      config,
      (section, key, value) => section === 'server' && key === 'log_level' && setLogLevel(log, value as LogLevel),
      log.child({ component: 'config' }),
    );
    const registry = await Registry.open(config.storage.data_dir, config.server.instance_id);
    await new BaseImages(runtime, config, log.child({ component: 'images' })).ensure();
    await runtime.networks.ensure(childNetwork(config, registry.instanceId), {
      ...imageLabels('network', config.docker.extra_labels),
      [LABELS.instance]: registry.instanceId,
    });

    const images = new ChildImages(runtime, renderer, {
      repository: config.images.child_repository,
      childBase: config.images.child_base,
      extraLabels: config.docker.extra_labels,
    }, log.child({ component: 'images' }));
    const quotas = new Quotas(config, registry);
    const audit = new AuditLog(config.storage.data_dir, () => config.audit);
    const provisioner = new ServerProvisioner(config, registry, runtime, images, new McpInitializeWait(runtime), catalog, quotas, log.child({ component: 'provisioner' }));
    const monitor = new Monitor(config, registry, runtime, log.child({ component: 'monitor' }));
    const perServer = new KeyedLock();
    const queries = new ServerQueries(registry, runtime, monitor);
    const lifecycle = new ServerLifecycle(config, registry, runtime, provisioner, queries, quotas, log.child({ component: 'lifecycle' }), perServer);
    const report = await new Reconciler(config, registry, runtime, log.child({ component: 'reconciler' })).reconcile();
    await monitor.start();
    const monitoring = monitoringServices({ config, registry, runtime, queries, monitor, perServer, log });
    const scaling = new AutoScaling({ config, registry, runtime, monitor, catalog, provisioner, lifecycle, limits: monitoring.limits, queries, log: log.child({ component: 'scaling' }) });
    scaling.start();

    const services: ForgeServices = { config, catalog, provisioner, lifecycle, queries, quotas, audit, configStore, runtime, log: log.child({ component: 'tools' }), ...monitoring, scaling };
    const table = new ToolTable(forgeTools);
    const resources = new ResourceTable(forgeResources, forgeResourceTemplates);
    const newServer = () => createForgeMcpServer(table, resources, services);
    const streamable = new StreamableSessions(newServer, config.server.session_idle_timeout_s * 1000, log.child({ component: 'mcp' }));
    const sse = new SseSessions(newServer);
    const app = createApp({
      host: config.server.host,
      allowedHosts: config.server.allowed_hosts,
      tokens: () => configuredTokens(config.auth),
      maxBodyBytes: () => config.server.max_body_bytes,
      metricsPublic: () => config.auth.metrics_public,
      streamable,
      sse,
      log: log.child({ component: 'http' }),
      metrics: monitoring.metrics,
      proxy: {
        targets: new RegistryTargets(registry, config, () => ({})),
        pins: new PinnedSessions(config.server.session_idle_timeout_s * 1000),
      },
      health: async () => ({
        docker: await runtime.ping().then(() => 'ok', (err: Error) => err.message),
        instance: registry.instanceId,
        servers: registry.list().length,
        sessions: { streamable: streamable.size, sse: sse.size },
      }),
    });
    const httpServer = http.createServer(app.callback());
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.server.port, config.server.host, () => resolve());
    }).catch(async (err) => {
      await scaling.stop();
      monitor.stop();
      throw err;
    });
    const forge = new Forge(config, services, registry, report, httpServer, { streamable, sse }, log, monitor, scaling);
    log.info({ url: forge.url, instance: registry.instanceId, servers: registry.list().length }, 'MCP-Forge listening');
    return forge;
  }

  /** Base URL, e.g. http://127.0.0.1:9000 (MCP at /mcp and /sse). */
  get url(): string {
    const address = this.httpServer.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  }

  /** Stops serving; children keep running (independent containers) unless children.stop_on_shutdown. */
  async stop(): Promise<void> {
    // The scaler first: it waits for its actions under way, which may still need the monitor and Docker.
    await this.scaling.stop();
    this.monitor.stop();
    await this.sessions.streamable.closeAll();
    await this.sessions.sse.closeAll();
    this.httpServer.closeAllConnections();
    await new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
    if (this.config.children.stop_on_shutdown) await this.services.lifecycle.stopAllForShutdown();
    this.log.info('MCP-Forge stopped');
  }
}
