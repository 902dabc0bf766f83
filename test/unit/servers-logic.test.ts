import { expect } from 'chai';
import { ForgeError } from '../../src/errors/forge-error.js';
import { allocatePort } from '../../src/servers/port-allocator.js';
import { newServerId, SERVER_ID_PATTERN } from '../../src/servers/server-id.js';
import { deriveStatus } from '../../src/servers/server-view.js';
import type { ServerRecord } from '../../src/registry/server-record.js';

const record = (over: Partial<ServerRecord> = {}): ServerRecord => ({
  id: 'mcp-20260101-abc123', name: 'n', description: 'd', capabilities: [], handlers: [], options: {}, port: 9001,
  container_name: 'mcp-forge-n', container_id: 'c', image: 'i', phase: 'ready', desired: 'running', status: 'running',
  error: null, limits: { cpu_percent: null, memory_bytes: null, memory_percent: null, io_read_bytes: null, io_write_bytes: null, connections: null }, manual_restarts: 0, created_at: '', updated_at: '', ...over,
});

describe('server ids', () => {
  it('have the API format with the UTC date', () => {
    const id = newServerId(() => false, new Date('2025-04-04T23:59:00Z'));
    expect(id).to.match(SERVER_ID_PATTERN);
    expect(id.slice(0, 13)).to.equal('mcp-20250404-');
  });
  it('never repeat a taken id', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(newServerId((c) => seen.has(c)));
    expect(seen.size).to.equal(2000);
  });
});

describe('port allocation', () => {
  it('takes the lowest free port, skipping used and refused ones', () => {
    expect(allocatePort({ start: 9001, end: 9010 }, [9001, 9003], new Set([9002]))).to.equal(9004);
  });
  it('fails with limit_exceeded when the range is full', () => {
    expect(() => allocatePort({ start: 1, end: 2 }, [1, 2], new Set())).to.throw(ForgeError, /no free port/).with.property('code', 'limit_exceeded');
  });
});

describe('status from Docker state and intent', () => {
  it('running container → running', () => expect(deriveStatus(record(), { status: 'running' }).status).to.equal('running'));
  it('exited while meant to run → error with the exit code', () => {
    expect(deriveStatus(record(), { status: 'exited', exitCode: 137, oomKilled: false })).to.deep.equal({ status: 'error', error: 'container exited unexpectedly with code 137' });
  });
  it('OOM kill is named', () => {
    expect(deriveStatus(record(), { status: 'exited', exitCode: 137, oomKilled: true }).error).to.contain('memory limit');
  });
  it('exited after stop_server → stopped', () => expect(deriveStatus(record({ desired: 'stopped' }), { status: 'exited' }).status).to.equal('stopped'));
  it('restarting → error (crash loop), never running', () => expect(deriveStatus(record(), { status: 'restarting' }).status).to.equal('error'));
  it('no container → error that says how to recover', () => expect(deriveStatus(record(), null).error).to.contain('start_server re-creates'));
  it('being created → initialized', () => expect(deriveStatus(record({ phase: 'creating' }), null).status).to.equal('initialized'));
});
