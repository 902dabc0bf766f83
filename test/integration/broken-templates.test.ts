import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { builtinTemplatesDir, packageRoot } from '../../src/config/paths.js';
import { Forge } from '../../src/forge.js';
import { testConfig } from '../support/test-env.js';

const run = promisify(execFile);

/** A copy of the shipped templates with one unit broken by `breakIt`. */
async function brokenTemplates(breakIt: (dir: string) => Promise<void>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-templates-'));
  await cp(builtinTemplatesDir, dir, { recursive: true });
  await breakIt(path.join(dir, 'capabilities'));
  return dir;
}

const edit = async (file: string, change: (text: string) => string) => writeFile(file, change(await readFile(file, 'utf8')));

const BREAKAGES: Array<[string, (caps: string) => Promise<void>, RegExp]> = [
  ['a manifest that is not JSON', (c) => writeFile(path.join(c, 'echo/capability.json'), '{ "name": "echo", '), /capability template "echo" \(.*\/echo\): cannot read capability.json/],
  ['a manifest of an unknown kind', (c) => edit(path.join(c, 'echo/capability.json'), (t) => t.replace('"capability"', '"gadget"')), /capability template "echo" .*invalid capability.json: .*\/kind must be equal to one of the allowed values/],
  ['a capability with no tools', (c) => edit(path.join(c, 'time/capability.json'), (t) => JSON.stringify({ ...JSON.parse(t), tools: [] })), /capability template "time" .*\/tools must NOT have fewer than 1 items/],
  ['a template that does not parse', (c) => edit(path.join(c, 'uptime/handlers.js.njk'), (t) => `${t}\n{{ broken(`), /capability template "uptime" .*handlers.js.njk does not render/],
  ['a template using a placeholder that does not exist', (c) => edit(path.join(c, 'echo/handlers.js.njk'), (t) => `// {{ capability.nonexistent }}\n${t}`), /capability template "echo" .*does not render: [^]*attempted to output null or undefined value/],
  ['a template missing a declared tool', (c) => edit(path.join(c, 'encoding/handlers.js.njk'), (t) => t.replace('export async function uuid', 'async function uuid')), /capability template "encoding" .*handlers.js.njk does not export "uuid" \(declared in capability.json\)/],
  ['a guarded unit without hooks', (c) => edit(path.join(c, 'auth/handlers.js.njk'), (t) => t.replace('export const hooks', 'const hooks')), /capability template "auth" .*does not export "hooks"/],
  ['a tool declared by two units', (c) => edit(path.join(c, 'uptime/capability.json'), (t) => t.replace('"name": "uptime",\n      "description"', '"name": "echo",\n      "description"')), /capability template "uptime" .*tool "echo" is already declared by capability template "echo"/],
  ['a missing handlers template', (c) => rm(path.join(c, 'time/handlers.js.njk')), /capability template "time" .*handlers.js.njk is missing/],
  ['a folder name that differs from the manifest', (c) => edit(path.join(c, 'echo/capability.json'), (t) => t.replace('"name": "echo"', '"name": "echo_two"')), /manifest name "echo_two" differs from its folder/],
];

describe('broken capability templates stop start-up', function () {
  const made: string[] = [];
  after(async () => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

  for (const [what, breakIt, message] of BREAKAGES) {
    it(`refuses ${what}, naming the unit`, async () => {
      const dir = await brokenTemplates(breakIt);
      made.push(dir);
      const config = testConfig({ templates: { dir } });
      let failure: Error | undefined;
      await Forge.start(config).then((f) => f.stop(), (err: Error) => (failure = err));
      expect(failure?.name).to.equal('TemplateError');
      expect(failure?.message).to.match(message);
      // Refused before anything was touched: no registry written.
      expect(await readdir(config.storage.data_dir)).to.deep.equal([]);
    });
  }

  it('`npm start` exits with the message naming the broken unit', async () => {
    const dir = await brokenTemplates((c) => edit(path.join(c, 'echo/handlers.js.njk'), (t) => t.replace('export async function echo', 'async function echo')));
    made.push(dir);
    const env = { ...process.env, FORGE_TEMPLATES_DIR: dir, FORGE_TEMPLATES_ALLOWED_DIRS: os.tmpdir(), FORGE_DATA_DIR: testConfig().storage.data_dir, FORGE_PORT: '0' };
    const failed = await run(process.execPath, ['--import', 'tsx', 'src/cli/forge.ts'], { cwd: packageRoot, env }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).to.equal(1);
    expect(failed?.stderr).to.match(/^mcp-forge: cannot start: capability template "echo" \(.*\): handlers.js.njk does not export "echo"/m);
  });
});
