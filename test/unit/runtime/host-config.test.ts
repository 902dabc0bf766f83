import { expect } from 'chai';
import { limitFields, UNLIMITED_MEMORY } from '../../../src/runtime/docker/host-config.js';
import { effectiveMemoryBytes } from '../../../src/runtime/resource-limits.js';

const host = { cpus: 2, memoryBytes: 1000 * 1024 * 1024 };
const none = { cpuPercent: null, memoryBytes: null, memoryPercent: null };

describe('cgroup limit fields', () => {
  it('leaves absent limits out at creation', () => {
    expect(limitFields(none, host, 'create')).to.deep.equal({});
    expect(limitFields({ ...none, cpuPercent: 50, memoryBytes: 64 * 1024 * 1024 }, host, 'create')).to.deep.equal({
      NanoCpus: 5e8,
      Memory: 64 * 1024 * 1024,
      MemorySwap: 64 * 1024 * 1024,
    });
  });

  it('lifts absent limits explicitly on update (Docker 20.10 ignores zeroes there)', () => {
    expect(limitFields(none, host, 'update')).to.deep.equal({ NanoCpus: 2e9, Memory: UNLIMITED_MEMORY, MemorySwap: UNLIMITED_MEMORY });
  });

  it('never asks for more CPU than the host has', () => {
    expect(limitFields({ ...none, cpuPercent: 400 }, host, 'create').NanoCpus).to.equal(2e9);
  });

  it('applies the lower of memory_bytes and memory_percent', () => {
    expect(effectiveMemoryBytes({ ...none, memoryPercent: 10 }, host)).to.equal(100 * 1024 * 1024);
    expect(effectiveMemoryBytes({ ...none, memoryPercent: 10, memoryBytes: 50 * 1024 * 1024 }, host)).to.equal(50 * 1024 * 1024);
    expect(effectiveMemoryBytes({ ...none, memoryPercent: 1, memoryBytes: 50 * 1024 * 1024 }, host)).to.equal(10 * 1024 * 1024);
    expect(effectiveMemoryBytes(none, host)).to.equal(null);
  });
});
