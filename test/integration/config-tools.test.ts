import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createLogger } from '../../src/logging/logger.js';
import { SETTINGS_BACKUPS_KEPT } from '../../src/config/saved-settings.js';
import { configSchema } from '../../src/config/load-config.js';
import { connect, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';
import { pollUntil } from '../support/poll.js';
import { RUN_ID, TEST_LABEL, TEST_PORTS } from '../support/test-env.js';

/** Every file under the data directory's settings (config.json and backups) with its content. */
function settingsSnapshot(dataDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const file = path.join(dataDir, 'config.json');
  if (existsSync(file)) out['config.json'] = readFileSync(file, 'utf8');
  const backups = path.join(dataDir, 'config-backups');
  for (const name of existsSync(backups) ? readdirSync(backups) : []) out[name] = readFileSync(path.join(backups, name), 'utf8');
  return out;
}

const INVALID: Array<[string, string, unknown, RegExp]> = [
  ['nope', 'log_level', 'debug', /unknown config section "nope"; sections: server, children/],
  ['server', 'nope', 1, /unknown key "nope" in config section "server"; keys: host, port, log_level/],
  ['server', 'log_level', 'loud', /server\.log_level: .*must be equal to one of the allowed values/],
  ['children', 'port_range_start', 'abc', /children\.port_range_start: .*must be integer/],
  ['children', 'port_range_start', 70000, /children\.port_range_start: .*must be <= 65535/],
  ['children', 'port_range_start', 25000, /port_range_start is above children\.port_range_end/],
  ['children', 'connect_via', 'network', /connect_via "network" needs children\.network/],
  ['resources', 'default_memory_limit', 1.5, /default_memory_limit: .*must be integer/],
  ['storage', 'data_dir', '/tmp/elsewhere', /storage\.data_dir cannot be changed at run time/],
  ['server', 'instance_id', 'another-forge', /server\.instance_id cannot be changed at run time/],
];

describe('get_config and set_config', function () {
  describe('on a forge with a captured log', () => {
    let h: ForgeHandle;
    const logLines: Array<Record<string, any>> = [];
    const secretLabel = 'io.mcp-forge.test-secret-token';

    before(async () => {
      const log = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line)) });
      h = await startForge({ server: { log_level: 'info' }, docker: { extra_labels: { [TEST_LABEL]: RUN_ID, [secretLabel]: 'hush' } } }, 'streamable', { log });
    });
    after(async () => h?.stop());

    it('get_config gives all sections, one section or one key, with secrets redacted', async () => {
      const all = await h.call('get_config');
      expect(all.status).to.equal('success');
      expect(all.config).to.have.keys(Object.keys(configSchema.properties));
      expect(all.config.auth).to.deep.equal({ admin_token: null, tokens: [], metrics_public: false });
      expect(all.config.docker.extra_labels).to.deep.equal({ [TEST_LABEL]: RUN_ID, [secretLabel]: '[redacted]' });
      expect(all.pending_restart).to.deep.equal({});
      expect(await h.call('get_config', { section: 'server' })).to.deep.equal({ status: 'success', config: { server: h.config.server }, pending_restart: {} });
      expect((await h.call('get_config', { section: 'children', key: 'port_range_start' })).config).to.deep.equal({ children: { port_range_start: TEST_PORTS.start } });
    });

    it('get_config refuses an unknown section or key, and a key without a section', async () => {
      const unknown = await h.call('get_config', { section: 'nope' });
      expect(unknown.error.code).to.equal('invalid_request');
      expect(unknown.error.message).to.match(/unknown config section "nope"; sections: server, children, images/);
      expect((await h.call('get_config', { section: 'server', key: 'nope' })).error.message).to.match(/unknown key "nope".*keys: host, port/);
      expect((await h.call('get_config', { key: 'port' })).error).to.deep.equal({ code: 'invalid_request', message: '"key" needs "section"' });
    });

    // Runs first in this forge: it also checks that refused changes create no settings file.
    it('an invalid set_config is refused with invalid_request and changes nothing, in memory or on disk', async () => {
      const dataDir = h.config.storage.data_dir;
      const check = async () => {
        const config = (await h.call('get_config')).config;
        const files = settingsSnapshot(dataDir);
        for (const [section, key, value, message] of INVALID) {
          const result = await h.call('set_config', { section, key, value });
          expect(result.status, `${section}.${key}=${JSON.stringify(value)}`).to.equal('error');
          expect(result.error.code).to.equal('invalid_request');
          expect(result.error.message).to.match(message);
        }
        expect((await h.call('get_config')).config).to.deep.equal(config);
        expect(settingsSnapshot(dataDir)).to.deep.equal(files);
      };
      await check();
      expect(settingsSnapshot(dataDir), 'no settings file from refused changes').to.not.have.property('config.json');
      await h.call('set_config', { section: 'resources', key: 'default_cpu_limit', value: 50 });
      await h.call('set_config', { section: 'resources', key: 'default_cpu_limit', value: 60 });
      expect(Object.keys(settingsSnapshot(dataDir))).to.have.length(2);
      await check();
    });

    it('set_config of the log level changes what the forge logs at once, in loggers made before the change', async () => {
      const toolCalls = () => logLines.filter((l) => l.msg === 'tool call').length;
      await h.call('list_servers');
      expect(logLines.some((l) => l.level === 30 && l.msg === 'tool call' && l.tool === 'list_servers')).to.equal(true);
      expect(logLines.some((l) => l.level === 20)).to.equal(false);

      const quiet = await h.call('set_config', { section: 'server', key: 'log_level', value: 'warn' });
      expect(quiet).to.include({ status: 'success', section: 'server', key: 'log_level', value: 'warn', previous_value: 'info', restart_required: false });
      const before = toolCalls();
      await h.call('list_servers');
      expect(toolCalls(), 'info lines stop at once').to.equal(before);

      await h.call('set_config', { section: 'server', key: 'log_level', value: 'debug' });
      expect(toolCalls(), 'the set_config call itself is logged').to.equal(before + 1);
      const client = await connect(h.forge.url);
      try {
        expect(logLines.some((l) => l.level === 20 && l.component === 'mcp' && l.msg === 'session opened'), 'debug lines start at once').to.equal(true);
      } finally {
        await client.close();
      }
      expect((await h.call('get_config', { section: 'server', key: 'log_level' })).config.server.log_level).to.equal('debug');
    });
  });

  describe('saving and restarting', () => {
    let h: ForgeHandle;
    before(async () => {
      h = await startForge();
    });
    after(async () => h?.stop());

    it('keeps a bounded set of backups, each the previous settings file', async () => {
      const dataDir = h.config.storage.data_dir;
      for (let limit = 10; limit < 10 + SETTINGS_BACKUPS_KEPT + 3; limit++) {
        expect((await h.call('set_config', { section: 'resources', key: 'default_cpu_limit', value: limit })).status).to.equal('success');
      }
      const backups = readdirSync(path.join(dataDir, 'config-backups')).sort();
      expect(backups).to.have.length(SETTINGS_BACKUPS_KEPT);
      expect(backups[0]).to.match(/^config\.000003\./);
      const newest = JSON.parse(readFileSync(path.join(dataDir, 'config-backups', backups.at(-1)!), 'utf8'));
      expect(newest).to.deep.equal({ resources: { default_cpu_limit: 10 + SETTINGS_BACKUPS_KEPT + 1 } });
      expect(JSON.parse(readFileSync(path.join(dataDir, 'config.json'), 'utf8'))).to.deep.equal({ resources: { default_cpu_limit: 10 + SETTINGS_BACKUPS_KEPT + 2 } });

      const again = await h.call('set_config', { section: 'resources', key: 'default_cpu_limit', value: 10 + SETTINGS_BACKUPS_KEPT + 2 });
      expect(again.message).to.match(/unchanged/);
      expect(readdirSync(path.join(dataDir, 'config-backups')).sort()).to.deep.equal(backups);
    });

    it('a key that needs a restart says so, is pending until then, and is in effect after it', async () => {
      const changed = await h.call('set_config', { section: 'children', key: 'container_port', value: 8081 });
      expect(changed).to.include({ status: 'success', value: 8081, previous_value: 8080, restart_required: true });
      expect(changed.message).to.match(/restart the forge to apply it/);
      const now = await h.call('get_config', { section: 'children', key: 'container_port' });
      expect(now).to.deep.equal({ status: 'success', config: { children: { container_port: 8080 } }, pending_restart: { children: { container_port: 8081 } } });

      const pinned = await h.call('set_config', { section: 'children', key: 'ready_timeout_s', value: 12 });
      expect(pinned).to.include({ restart_required: false, overridden_at_start_by: 'overrides' });

      const dataDir = h.config.storage.data_dir;
      await h.stop();
      h = await startForge({ storage: { data_dir: dataDir } });
      const after = await h.call('get_config', { section: 'children' });
      expect(after.config.children).to.include({ container_port: 8081, ready_timeout_s: 30 });
      expect(after.pending_restart).to.deep.equal({});
      expect((await h.call('get_config', { section: 'resources' })).config.resources.default_cpu_limit).to.equal(10 + SETTINGS_BACKUPS_KEPT + 2);
    });
  });

  describe('live changes reach the next action', () => {
    let h: ForgeHandle;
    before(async () => {
      h = await startForge();
    });
    after(async () => h?.stop());

    it('a new port range and default limits apply to the next create_server, a new alert threshold to the next reading', async () => {
      for (const [section, key, value] of [
        ['children', 'port_range_start', TEST_PORTS.end - 99],
        ['resources', 'default_memory_limit', 64 * 1024 * 1024],
        ['resources', 'default_cpu_limit', 50],
        ['resources', 'default_memory_percent', 50],
        ['resources', 'default_io_read_bytes', 10 ** 12],
        ['resources', 'default_io_write_bytes', 10 ** 12],
        ['resources', 'default_connections', 3],
      ] as const) {
        expect(await h.call('set_config', { section, key, value })).to.include({ status: 'success', restart_required: false });
      }
      const created = await h.call('create_server', { name: 'config-live', capabilities: ['echo'] });
      expect(created.status, JSON.stringify(created)).to.equal('success');
      expect(created.server.port).to.be.within(TEST_PORTS.end - 99, TEST_PORTS.end);
      const info = await docker.getContainer(created.server.container_id).inspect();
      expect(info.HostConfig.Memory).to.equal(64 * 1024 * 1024);
      expect(info.HostConfig.NanoCpus).to.equal(0.5e9);
      const { limits } = await h.call('get_resource_limits', { server_id: created.server.id });
      expect(limits).to.deep.equal({
        cpu_percent: 50,
        memory_bytes: 64 * 1024 * 1024,
        memory_percent: 50,
        io_read_bytes: 10 ** 12,
        io_write_bytes: 10 ** 12,
        connections: 3,
      });

      // The child uses far less than 90 % of its 64 MiB; a 5 % threshold set now applies to the next reading.
      expect(await h.call('set_config', { section: 'monitor', key: 'alert_threshold_percent', value: 5 })).to.include({ restart_required: false });
      const memoryAlert = (r: any) => r.alerts.find((a: any) => a.limit.name === 'memory_bytes');
      const alerts = await pollUntil(
        () => h.call('get_alerts', { server_id: created.server.id, kind: 'limit_exceeded' }),
        (r) => !!memoryAlert(r),
        'a memory limit_exceeded alert at the new threshold',
      );
      expect(memoryAlert(alerts).limit.value).to.equal(64 * 1024 * 1024);
      expect(memoryAlert(alerts).limit.observed).to.be.below(64 * 1024 * 1024 * 0.9);
    });
  });
});
