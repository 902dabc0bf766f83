import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { ENV_OVERRIDES } from '../../src/config/env-overrides.js';

describe('config', () => {
  it('defaults bind to loopback on 9000 with children on 9001-9999 published on 127.0.0.1', () => {
    const c = loadConfig();
    expect(c.server).to.include({ host: '127.0.0.1', port: 9000 });
    expect(c.children).to.include({ host_ip: '127.0.0.1', port_range_start: 9001, port_range_end: 9999 });
    expect(c.storage.data_dir).to.equal('./data');
  });

  it('applies FORGE_* overrides with their types', () => {
    const c = loadConfig({
      env: {
        FORGE_HOST: '0.0.0.0',
        FORGE_PORT: '9100',
        FORGE_CHILD_HOST_IP: '0.0.0.0',
        FORGE_PORT_RANGE_START: '10000',
        FORGE_PORT_RANGE_END: '10010',
        FORGE_REMOVE_ORPHANS: 'true',
        FORGE_ALLOWED_HOSTS: 'forge.internal, example.test',
        FORGE_EXTRA_LABELS: 'team=ops,env=dev',
        FORGE_DATA_DIR: '/var/lib/forge',
        FORGE_DEFAULT_CPU_LIMIT: '50',
        FORGE_AUTH_TOKEN: 'a-long-admin-token-0123456789',
        FORGE_AUTH_TOKENS: 'ops:read:read-token-0123456789abcdef',
      },
    });
    expect(c.server).to.include({ host: '0.0.0.0', port: 9100 });
    expect(c.server.allowed_hosts).to.deep.equal(['forge.internal', 'example.test']);
    expect(c.children).to.include({ host_ip: '0.0.0.0', port_range_start: 10000, port_range_end: 10010, remove_orphans: true });
    expect(c.docker.extra_labels).to.deep.equal({ team: 'ops', env: 'dev' });
    expect(c.storage.data_dir).to.equal('/var/lib/forge');
    expect(c.resources.default_cpu_limit).to.equal(50);
    expect(c.auth.admin_token).to.equal('a-long-admin-token-0123456789');
    expect(c.auth.tokens).to.deep.equal([{ name: 'ops', role: 'read', token: 'read-token-0123456789abcdef' }]);
  });

  it('refuses a non-loopback bind without a token', () => {
    expect(() => loadConfig({ env: { FORGE_HOST: '0.0.0.0' } })).to.throw(ConfigError, /refusing to listen on 0.0.0.0 without authentication/);
    expect(() => loadConfig({ env: { FORGE_HOST: '127.0.0.2' } })).to.not.throw();
    expect(() => loadConfig({ env: { FORGE_AUTH_TOKEN: 'short' } })).to.throw(ConfigError, /admin_token must NOT have fewer than 16/);
  });

  it('rejects bad values naming the key', () => {
    expect(() => loadConfig({ env: { FORGE_PORT: 'ninety' } })).to.throw(ConfigError, /\/server\/port must be integer/);
    expect(() => loadConfig({ env: { FORGE_LOG_LEVEL: 'loud' } })).to.throw(ConfigError, /log_level/);
    expect(() => loadConfig({ env: { FORGE_PORT_RANGE_START: '9999', FORGE_PORT_RANGE_END: '9001' } })).to.throw(ConfigError, /port_range_start is above/);
    expect(() => loadConfig({ env: { FORGE_CONNECT_VIA: 'network' } })).to.throw(ConfigError, /needs children.network/);
    expect(() => loadConfig({ overrides: { server: { colour: 'red' } as never } })).to.throw(ConfigError, /additional properties/);
  });

  it('reads a config file named by FORGE_CONFIG, under the environment', () => {
    expect(() => loadConfig({ env: { FORGE_CONFIG: '/nonexistent/forge.json' } })).to.throw(ConfigError, /cannot read config file/);
  });

  it('every override names a key the schema knows', () => {
    for (const [name, keyPath] of ENV_OVERRIDES) {
      expect(name).to.match(/^FORGE_[A-Z_]+$/);
      const [section, key] = keyPath.split('.') as [string, string];
      expect(loadConfig() as any, name).to.have.nested.property(`${section}.${key}`);
    }
  });
});
