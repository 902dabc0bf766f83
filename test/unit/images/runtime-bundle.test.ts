import { expect } from 'chai';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleRuntime } from '../../../src/images/runtime-bundle.js';

describe('the child runtime bundle', () => {
  let dir: string;
  let out: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-bundle-'));
    out = `${dir}-out`;
    await writeFile(path.join(dir, 'child.js'), "import { greet } from './greet.js';\nexport const hello = () => greet('child');\nexport const where = import.meta.url;\n");
    await writeFile(path.join(dir, 'greet.js'), "import path from 'node:path';\nexport const greet = (who) => `hello ${who} ${path.sep}`;\n");
    await writeFile(path.join(dir, 'source-main.js'), "import { hello } from './child.js';\nexport const bridged = () => `bridged ${hello()}`;\n");
    await writeFile(path.join(dir, 'snapshot-entry.js'), "import * as runtime from './child.js';\nglobalThis.__bundleTest = runtime;\n");
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  it('makes the ES modules and a CommonJS snapshot entry, each one file with its source map', async () => {
    expect(await bundleRuntime(dir, out)).to.equal('bundled');
    const code = await readFile(path.join(out, 'child.js'), 'utf8');
    expect(code).to.not.contain("from './greet.js'");
    expect(code).to.contain('//# sourceMappingURL=child.js.map');
    const map = JSON.parse(await readFile(path.join(out, 'child.js.map'), 'utf8'));
    expect(map.sources.map((s: string) => path.basename(s))).to.include.members(['child.js', 'greet.js']);
    const esm = await import(pathToFileURL(path.join(out, 'child.js')).href);
    expect(esm.hello()).to.equal('hello child /');
    const bridge = await import(pathToFileURL(path.join(out, 'source-main.js')).href);
    expect(bridge.bridged()).to.equal('bridged hello child /');

    createRequire(import.meta.url)(path.join(out, 'snapshot-entry.cjs'));
    const cjs = (globalThis as any).__bundleTest;
    expect(cjs.hello()).to.equal('hello child /');
    expect(cjs.where, 'import.meta.url is the runtime folder in the image').to.equal('file:///opt/mcp-forge/runtime/index.js');
  });

  it('bundles again only when a source changed', async () => {
    expect(await bundleRuntime(dir, out)).to.equal('unchanged');
    await writeFile(path.join(dir, 'greet.js'), "export const greet = (who) => `hi ${who}`;\n");
    expect(await bundleRuntime(dir, out)).to.equal('bundled');
    expect(await readFile(path.join(out, 'child.js'), 'utf8')).to.contain('hi ');
  });
});
