import { expect } from 'chai';
import { toErrorBody, ForgeError } from '../../src/errors/forge-error.js';
import { hostnameOf } from '../../src/http/host-guard.js';
import { parseLdd } from '../../src/images/local-node-base.js';
import { describeSchemaErrors } from '../../src/mcp/tool-table.js';
import { AsyncLock } from '../../src/registry/async-lock.js';
import { contentHash } from '../../src/render/child-context.js';

describe('small parts', () => {
  it('maps errors to the API format once; unknown errors become server_error', () => {
    expect(toErrorBody(new ForgeError('not_found', 'gone'))).to.deep.equal({ status: 'error', error: { code: 'not_found', message: 'gone' } });
    expect(toErrorBody(new Error('boom'))).to.deep.equal({ status: 'error', error: { code: 'server_error', message: 'boom' } });
  });

  it('reads the hostname of a Host header', () => {
    expect(hostnameOf('LocalHost:9000')).to.equal('localhost');
    expect(hostnameOf('[::1]:9000')).to.equal('[::1]');
    expect(hostnameOf('127.0.0.1')).to.equal('127.0.0.1');
    expect(hostnameOf(undefined)).to.equal(null);
  });

  it('parses ldd output into library paths, the loader included', () => {
    const out = '\tlinux-vdso.so.1 (0x1)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x2)\n\t/lib64/ld-linux-x86-64.so.2 (0x3)\n';
    expect(parseLdd(out)).to.deep.equal(['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
  });

  it('names schema problems by parameter', () => {
    const text = describeSchemaErrors([
      { instancePath: '/name', keyword: 'minLength', params: {}, schemaPath: '', message: 'must NOT have fewer than 3 characters' },
      { instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'x' }, schemaPath: '' },
    ]);
    expect(text).to.equal('name must NOT have fewer than 3 characters; unknown parameter "x"');
  });

  it('content hash depends on files and base, not on their order', () => {
    const a = new Map([['a', '1'], ['b', '2']]);
    const b = new Map([['b', '2'], ['a', '1']]);
    expect(contentHash(a, 'base1')).to.equal(contentHash(b, 'base1'));
    expect(contentHash(a, 'base1')).to.not.equal(contentHash(a, 'base2'));
    expect(contentHash(a, 'base1')).to.not.equal(contentHash(new Map([['a', '1'], ['b', '3']]), 'base1'));
  });

  it('runs critical sections one at a time, and a failure does not block the next', async () => {
    const lock = new AsyncLock();
    const order: number[] = [];
    let inside = 0;
    const job = (n: number, fail = false) =>
      lock.run(async () => {
        inside++;
        expect(inside).to.equal(1);
        await new Promise((r) => setImmediate(r));
        order.push(n);
        inside--;
        if (fail) throw new Error('x');
      });
    await Promise.allSettled([job(1), job(2, true), job(3)]);
    expect(order).to.deep.equal([1, 2, 3]);
  });
});
