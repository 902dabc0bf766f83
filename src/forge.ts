import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ConfigStore } from './config/config-store.js';
import type { ForgeConfig, LogLevel } from './config/forge-config.js';
import { builtinTemplatesDir, packageRoot } from './config/paths.js';
import { checkChildNetwork } from './config/network-check.js';
import { digestSavedSecrets } from './config/saved-settings.js';
import { Gateway } from './gateway/gateway.js';
import { createGatewayServer } from './gateway/gateway-server.js';
import { PinnedSessions } from './gateway/pinned-sessions.js';
import { RegistryTargets } from './gateway/registry-targets.js';
import { createApp } from './http/create-app.js';
import { SessionTable } from './http/session-table.js';
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
import type { Runtime } from './runtime/runtime.js';
import { createRuntime } from './runtime/create-runtime.js';
import { imageLabels, LABELS } from './runtime/labels.js';
import { childNetwork } from './servers/child-spec.js';
import { ensureInternalNetwork } from './servers/internal-network.js';
import { ChildImages } from './servers/child-images.js';
import { childAuthHeaders } from './servers/child-auth-headers.js';
import { McpInitializeWait } from './servers/mcp-ready.js';
import { Reconciler, type ReconcileReport } from './servers/reconciler.js';
import { ServerLifecycle } from './servers/server-lifecycle.js';
import { ServerProvisioner } from './servers/server-provisioner.js';
import { NpmCache } from './sources/npm-cache.js';
import { SecretStore } from './sources/secret-store.js';
import { ServerSources } from './sources/server-sources.js';
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
    /** The forge's own MCP sessions and the gateway's, each with its caps. */
    private readonly sessions: SessionTable[],
    readonly log: Logger,
    private readonly monitor: Monitor,
    private readonly scaling: AutoScaling,
    readonly gateway: Gateway,
  ) {}

  /** Wires everything from one config, reconciles with the engine, and starts listening. */
  static async start(config: ForgeConfig, options: { log?: Logger; runtime?: Runtime } = {}): Promise<Forge> {
    const log = options.log ?? createLogger(config.server.log_level);
    // Templates first: a broken unit stops start-up (TemplateError names it) before anything is touched.
    const templatesDir = config.templates.dir ?? builtinTemplatesDir;
    const catalog = await CapabilityCatalog.load(templatesDir);
    const renderer = new ChildContextRenderer(templatesDir, catalog, {
      childBase: config.images.child_base,
      containerPort: config.children.container_port,
      childUid: config.children.uid,
    });
    renderer.verify();
    const runtime = options.runtime ?? createRuntime(config, (message) => log.warn(message));
    await runtime.ping();
    const verifyConfig = (candidate: ForgeConfig) => checkChildNetwork(candidate, (name) => runtime.networks.labels(name));
    await verifyConfig(config);
    // Secrets an older forge left in plain text on disk are digested (settings) or redacted (audit) first.
    await digestSavedSecrets(config.storage.data_dir);
    const table = new ToolTable(forgeTools);
    const audit = new AuditLog(config.storage.data_dir, () => config.audit, (action, args) => table.recordedArguments(action, args));
    await audit.scrub();
    const configStore = ConfigStore.open(
      config,
      (section, key, value) => section === 'server' && key === 'log_level' && setLogLevel(log, value as LogLevel),
      log.child({ component: 'config' }),
      verifyConfig,
    );
    const registry = await Registry.open(config.storage.data_dir, config.server.instance_id);
    await new BaseImages(runtime, config, log.child({ component: 'images' })).ensure();
    // The forge's own network carries only children, which never need to talk to each other:
    // inter-container traffic off. A named network (children.network) keeps the operator's
    // options: under Compose the forge itself is on it and must reach the children.
    await runtime.networks.ensure(
      childNetwork(config, registry.instanceId),
      { ...imageLabels('network', config.docker.extra_labels), [LABELS.instance]: registry.instanceId },
      { isolated: config.children.network === null },
    );
    await ensureInternalNetwork(runtime, config, registry.instanceId);

    const images = new ChildImages(runtime, renderer, {
      repository: config.images.child_repository,
      childBase: config.images.child_base,
      extraLabels: config.docker.extra_labels,
    }, log.child({ component: 'images' }));
    const quotas = new Quotas(config, registry);
    const secrets = new SecretStore(config.storage.data_dir, config.sources.secrets_key);
    const npmCache = new NpmCache(config, log.child({ component: 'npm' }));
    await npmCache.sweep();
    const sources = new ServerSources(config, runtime, images, npmCache, secrets);
    const provisioner = new ServerProvisioner(config, registry, runtime, images, new McpInitializeWait(runtime), catalog, quotas, log.child({ component: 'provisioner' }), sources);
    const monitor = new Monitor(config, registry, runtime, log.child({ component: 'monitor' }));
    const perServer = new KeyedLock();
    const queries = new ServerQueries(registry, runtime, monitor);
    const lifecycle = new ServerLifecycle(config, registry, runtime, provisioner, queries, quotas, log.child({ component: 'lifecycle' }), perServer);
    const report = await new Reconciler(config, registry, runtime, log.child({ component: 'reconciler' }), (record) => provisioner.checkHostFolders(record)).reconcile();
    await secrets.prune(registry.list().map((s) => s.id));
    await monitor.start();
    const monitoring = monitoringServices({ config, registry, runtime, queries, monitor, perServer, log });
    const gateway = new Gateway({ config, registry, audit, log: log.child({ component: 'gateway' }) });
    monitor.connectionSources.add((serverId) => gateway.connectionLoad(serverId));
    gateway.start();
    const drain = (serverId: string) => gateway.drain(serverId, config.children.stop_timeout_s * 1000);
    const scaling = new AutoScaling({ config, registry, runtime, monitor, catalog, provisioner, lifecycle, limits: monitoring.limits, queries, log: log.child({ component: 'scaling' }), drain });
    scaling.start();

    const services: ForgeServices = { config, catalog, provisioner, lifecycle, queries, quotas, audit, configStore, runtime, log: log.child({ component: 'tools' }), ...monitoring, scaling };
    const resources = new ResourceTable(forgeResources, forgeResourceTemplates);
    const newServer = () => createForgeMcpServer(table, resources, services, gateway);
    const sessionTable = new SessionTable(() => config.server, config.server.session_idle_timeout_s * 1000, log.child({ component: 'mcp' }));
    const streamable = new StreamableSessions(newServer, sessionTable);
    const sse = new SseSessions(newServer, sessionTable);
    const newGatewayServer = () => createGatewayServer(gateway);
    const gatewayTable = new SessionTable(() => config.server, config.server.session_idle_timeout_s * 1000, log.child({ component: 'gateway' }));
    const gatewaySessions = {
      streamable: new StreamableSessions(newGatewayServer, gatewayTable),
      sse: new SseSessions(newGatewayServer, gatewayTable, '/gateway/messages'),
    };
    const app = createApp({
      host: config.server.host,
      allowedHosts: config.server.allowed_hosts,
      tokens: () => configuredTokens(config.auth),
      maxBodyBytes: () => config.server.max_body_bytes,
      metricsPublic: () => config.auth.metrics_public,
      streamable,
      sse,
      gateway: gatewaySessions,
      log: log.child({ component: 'http' }),
      metrics: monitoring.metrics,
      dashboard: { table, resources, services, assetsDir: path.join(packageRoot, 'dist', 'dashboard') },
      proxy: {
        targets: new RegistryTargets(registry, config, (record) => childAuthHeaders(record, config), (id) => gateway.isDraining(id)),
        pins: new PinnedSessions(config.server.session_idle_timeout_s * 1000),
      },
      health: async () => ({
        // The reason goes to the log only: /healthz is open to anyone who can reach the port.
        docker: await runtime.ping().then(
          () => 'ok',
          (err: Error) => (log.warn({ err }, `health check: the ${runtime.kind} engine is unavailable`), 'unavailable'),
        ),
        instance: registry.instanceId,
        servers: registry.list().length,
        sessions: { streamable: streamable.size, sse: sse.size, gateway: gatewaySessions.streamable.size + gatewaySessions.sse.size },
      }),
    });
    const httpServer = http.createServer(app.callback());
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.server.port, config.server.host, () => resolve());
    }).catch(async (err) => {
      await scaling.stop();
      monitor.stop();
      await gateway.stop();
      throw err;
    });
    const forge = new Forge(config, services, registry, report, httpServer, [sessionTable, gatewayTable], log, monitor, scaling, gateway);
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
    // The scaler first: it waits for its actions under way, which may still need the monitor and the engine.
    await this.scaling.stop();
    this.monitor.stop();
    for (const table of this.sessions) await table.closeAll();
    await this.gateway.stop();
    this.httpServer.closeAllConnections();
    await new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
    if (this.config.children.stop_on_shutdown) await this.services.lifecycle.stopAllForShutdown();
    await this.services.runtime.close?.();
    this.log.info('MCP-Forge stopped');
  }
}
