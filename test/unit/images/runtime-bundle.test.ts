import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleRuntime } from '../../../src/images/runtime-bundle.js';

describe('the child runtime bundle', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-bundle-'));
    await writeFile(path.join(dir, 'index.js'), "import { greet } from './greet.js';\nexport const hello = () => greet('child');\n");
    await writeFile(path.join(dir, 'greet.js'), "import path from 'node:path';\nexport const greet = (who) => `hello ${who} ${path.sep}`;\n");
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}-out`, { recursive: true, force: true });
  });

  it('makes one file with its source map that behaves like the sources', async () => {
    const out = `${dir}-out`;
    expect(await bundleRuntime(dir, out)).to.equal('bundled');
    const code = await readFile(path.join(out, 'index.js'), 'utf8');
    expect(code).to.not.contain("from './greet.js'");
    expect(code).to.contain('//# sourceMappingURL=index.js.map');
    const map = JSON.parse(await readFile(path.join(out, 'index.js.map'), 'utf8'));
    expect(map.sources.map((s: string) => path.basename(s))).to.include.members(['index.js', 'greet.js']);
    const mod = await import(pathToFileURL(path.join(out, 'index.js')).href);
    expect(mod.hello()).to.equal('hello child /');
  });

  it('bundles again only when a source changed', async () => {
    const out = `${dir}-out`;
    expect(await bundleRuntime(dir, out)).to.equal('unchanged');
    await writeFile(path.join(dir, 'greet.js'), "export const greet = (who) => `hi ${who}`;\n");
    expect(await bundleRuntime(dir, out)).to.equal('bundled');
    expect(await readFile(path.join(out, 'index.js'), 'utf8')).to.contain('hi ');
  });
});
