import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { SecretStore } from '../../../src/sources/secret-store.js';

describe('secret store', () => {
  it('keeps secrets encrypted under a key generated once (mode 0600), and reads them back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-secrets-'));
    const store = new SecretStore(dir, null);
    await store.put('mcp-1', { API_TOKEN: 'plain-secret-value' });
    const file = path.join(dir, 'secrets', 'mcp-1.json');
    expect(await readFile(file, 'utf8')).to.not.include('plain-secret-value');
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    expect((await stat(path.join(dir, 'secrets.key'))).mode & 0o777).to.equal(0o600);
    expect(await new SecretStore(dir, null).get('mcp-1')).to.deep.equal({ API_TOKEN: 'plain-secret-value' });
    expect(await store.get('mcp-none')).to.deep.equal({});
    await store.remove('mcp-1');
    expect(await readdir(path.join(dir, 'secrets'))).to.deep.equal([]);
  });

  it('prunes the secrets of servers no longer registered', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-secrets-'));
    const store = new SecretStore(dir, null);
    await store.put('mcp-kept', { A: '1' });
    await store.put('mcp-gone', { A: '2' });
    await store.prune(['mcp-kept', 'mcp-other']);
    expect(await readdir(path.join(dir, 'secrets'))).to.deep.equal(['mcp-kept.json']);
  });

  it('uses the configured key, and says so when another key cannot decrypt', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-secrets-'));
    await new SecretStore(dir, 'a-configured-key-of-some-length').put('mcp-2', { A: 'b' });
    expect(await readdir(dir)).to.not.include('secrets.key');
    expect(await new SecretStore(dir, 'a-configured-key-of-some-length').get('mcp-2')).to.deep.equal({ A: 'b' });
    let error: Error | null = null;
    await new SecretStore(dir, 'another-key-entirely-different').get('mcp-2').catch((err: Error) => (error = err));
    expect(error!.message).to.match(/do not decrypt/);
  });
});
