import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { packageRoot } from '../../../src/config/paths.js';

const SRC = path.join(packageRoot, 'src');
const ENGINES = ['docker', 'swarm'].map((name) => path.join(SRC, 'runtime', name));
/** The one factory that picks an engine (runtime.kind); everything else holds a `Runtime`. */
const FACTORY = path.join(SRC, 'runtime', 'create-runtime.ts');
const ENGINE_PACKAGES = ['dockerode', 'docker-modem'];
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/** What `file` imports that only an engine's own code may: engine packages and runtime/docker|swarm modules. */
function engineImports(file: string): string[] {
  const found: string[] = [];
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    if (ENGINE_PACKAGES.some((p) => spec === p || spec!.startsWith(`${p}/`))) found.push(spec!);
    else if (spec!.startsWith('.') && ENGINES.some((dir) => path.resolve(path.dirname(file), spec!).startsWith(dir + path.sep))) found.push(spec!);
  }
  return found;
}

const inEngine = (file: string) => ENGINES.some((dir) => file.startsWith(dir + path.sep));

describe('the runtime seam: nothing outside an engine\'s folder knows which engine runs', () => {
  it('the scan sees engine imports where they belong (so an empty finding below means something)', () => {
    expect(engineImports(path.join(SRC, 'runtime', 'docker', 'docker-runtime.ts'))).to.include('dockerode');
  });

  it('no file under src/ outside runtime/docker and runtime/swarm imports dockerode or those folders, except the factory', () => {
    // Until the factory lands (the swarm branch), forge.ts and cli/images.ts build the docker runtime themselves.
    const transitional = existsSync(FACTORY) ? [] : ['forge.ts', path.join('cli', 'images.ts')].map((f) => path.join(SRC, f));
    const offenders = sourceFiles(SRC)
      .filter((file) => !inEngine(file) && file !== FACTORY && !transitional.includes(file))
      .flatMap((file) => engineImports(file).map((spec) => `${path.relative(packageRoot, file)} imports ${spec}`));
    expect(offenders, 'go through src/runtime/runtime.ts (a Runtime from create-runtime.ts)').to.deep.equal([]);
  });
});
