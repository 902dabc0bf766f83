import { expect } from 'chai';
import { checkLimit, defaultLimits, limitsOf, MIN_MEMORY_BYTES, NO_LIMITS } from '../../../src/servers/limit-rules.js';
import { ForgeError } from '../../../src/errors/forge-error.js';

const host = { cpus: 2, memoryBytes: 8 * 1024 ** 3 };
const refused = (name: string, value: unknown) => {
  try {
    checkLimit(name, value, host);
  } catch (err) {
    expect(err).to.be.instanceOf(ForgeError);
    expect((err as ForgeError).code).to.equal('invalid_request');
    return (err as Error).message;
  }
  throw new Error(`${name}=${String(value)} was accepted`);
};

describe('limit rules', () => {
  it('accepts each limit in its range, and null to remove it', () => {
    expect(checkLimit('cpu_percent', 50, host)).to.deep.equal({ name: 'cpu_percent', value: 50 });
    expect(checkLimit('cpu_percent', 200, host).value).to.equal(200);
    expect(checkLimit('memory_bytes', MIN_MEMORY_BYTES, host).value).to.equal(MIN_MEMORY_BYTES);
    expect(checkLimit('memory_percent', 25.5, host).value).to.equal(25.5);
    expect(checkLimit('io_read_bytes', 1, host).value).to.equal(1);
    expect(checkLimit('connections', 10, host).value).to.equal(10);
    expect(checkLimit('memory_bytes', null, host)).to.deep.equal({ name: 'memory_bytes', value: null });
  });

  it('refuses unknown names, naming the known ones', () => {
    expect(refused('cpu', 1)).to.contain('unknown limit "cpu"').and.to.contain('cpu_percent, memory_bytes');
  });

  it('refuses values out of range or of the wrong kind', () => {
    expect(refused('cpu_percent', 0)).to.contain('between 1 and 200');
    expect(refused('cpu_percent', 201)).to.contain('2 cores');
    expect(refused('memory_bytes', 1024)).to.contain('between 6291456 and');
    expect(refused('memory_bytes', 1e7 + 0.5)).to.contain('whole number');
    expect(refused('memory_percent', 101)).to.contain('between');
    expect(refused('memory_percent', 0.00001)).to.contain('between');
    expect(refused('connections', 1.5)).to.contain('whole number');
    expect(refused('io_write_bytes', -1)).to.contain('between 1');
    expect(refused('cpu_percent', '50')).to.contain('a number or null');
    expect(refused('cpu_percent', Number.NaN)).to.contain('a number or null');
  });

  it('fills limits missing from older entries and takes defaults from config', () => {
    expect(limitsOf({ limits: { cpu_percent: 5, memory_bytes: null } as never })).to.deep.equal({ ...NO_LIMITS, cpu_percent: 5 });
    const resources = {
      default_cpu_limit: 50,
      default_memory_limit: null,
      default_memory_percent: 10,
      default_io_read_bytes: null,
      default_io_write_bytes: 5,
      default_connections: 3,
    };
    expect(defaultLimits(resources)).to.deep.equal({
      cpu_percent: 50,
      memory_bytes: null,
      memory_percent: 10,
      io_read_bytes: null,
      io_write_bytes: 5,
      connections: 3,
    });
  });
});
