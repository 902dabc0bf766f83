import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig, pinnedBy } from '../../src/config/load-config.js';

/** Start-up with settings saved by set_config, on real files (no Docker needed). */
describe('loading the settings saved at run time', () => {
  let dataDir: string;
  const save = (text: string) => writeFileSync(path.join(dataDir, 'config.json'), text);
  const load = (env: Record<string, string> = {}) => loadConfig({ env: { FORGE_DATA_DIR: dataDir, ...env } });

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-settings-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('applies them over default.json and under FORGE_* variables, and knows which variable wins', () => {
    save(JSON.stringify({ server: { log_level: 'debug', port: 9123 }, children: { ready_timeout_s: 12 } }));
    const config = load({ FORGE_LOG_LEVEL: 'warn' });
    expect(config.server).to.include({ log_level: 'warn', port: 9123 });
    expect(config.children.ready_timeout_s).to.equal(12);
    expect(pinnedBy(config, 'server.log_level')).to.equal('FORGE_LOG_LEVEL');
    expect(pinnedBy(config, 'server.port')).to.equal(undefined);
    expect(load().server.log_level).to.equal('debug');
  });

  it('starts with defaults when there is no file', () => {
    expect(load().server.log_level).to.equal('info');
  });

  for (const [what, text, message] of [
    ['not JSON', '{"server": ', /config\.json is not valid JSON .*left untouched/],
    ['not sections', '{"server": 5}', /must hold an object of sections/],
    ['a fixed key', '{"storage": {"data_dir": "/elsewhere"}}', /may not set storage\.data_dir/],
    ['an invalid value', '{"server": {"port": 99999}}', /\/server\/port must be <= 65535 \(settings saved at run time in .*config\.json included\)/],
  ] as const) {
    it(`refuses a file with ${what}, naming it, and leaves it untouched`, () => {
      save(text);
      expect(() => load()).to.throw(ConfigError, message);
      expect(readFileSync(path.join(dataDir, 'config.json'), 'utf8')).to.equal(text);
    });
  }
});
