import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';

describe('runtime.kind swarm in the configuration', () => {
  it('forces children.require_token on, as a non-loopback host_ip does', () => {
    expect(loadConfig({ overrides: { runtime: { kind: 'swarm' }, children: { require_token: false } } }).children.require_token).to.equal(true);
    expect(loadConfig({ env: { FORGE_RUNTIME: 'swarm' } }).children.require_token).to.equal(true);
    // The docker runtime keeps the loopback default: no token.
    expect(loadConfig({ overrides: { runtime: { kind: 'docker' } } }).children.require_token).to.equal(false);
  });

  it('accepts loopback (the default) and wildcard host_ip, refuses a specific address it cannot bind', () => {
    for (const host_ip of ['127.0.0.1', '0.0.0.0', '::']) {
      expect(loadConfig({ overrides: { runtime: { kind: 'swarm' }, children: { host_ip } } }).children.host_ip).to.equal(host_ip);
    }
    expect(() => loadConfig({ overrides: { runtime: { kind: 'swarm' }, children: { host_ip: '192.168.1.5' } } }))
      .to.throw(ConfigError, /children\.host_ip "192\.168\.1\.5" cannot be honoured with runtime\.kind "swarm"/);
    // The same address is fine on the docker runtime (with a token forced on).
    expect(loadConfig({ overrides: { children: { host_ip: '192.168.1.5' } } }).children.require_token).to.equal(true);
  });
});
