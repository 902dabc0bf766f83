import { expect } from 'chai';
import { effectOf, FIXED_KEYS, LIVE_KEYS } from '../../../src/config/config-keys.js';
import { configSchema } from '../../../src/config/load-config.js';

const schemaKeys = Object.entries(configSchema.properties as Record<string, { properties: object }>).flatMap(([section, s]) =>
  Object.keys(s.properties).map((key) => `${section}.${key}`),
);

describe('how config keys take effect', () => {
  it('names only keys the schema has', () => {
    for (const key of [...LIVE_KEYS, ...FIXED_KEYS.keys()]) expect(schemaKeys, key).to.include(key);
  });

  it('treats every other key as needing a restart', () => {
    expect(effectOf('server.log_level')).to.equal('live');
    expect(effectOf('storage.data_dir')).to.equal('fixed');
    expect(effectOf('server.port')).to.equal('restart');
    expect(effectOf('future.key')).to.equal('restart');
  });
});
