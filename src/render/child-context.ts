import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nunjucks from 'nunjucks';
import type { CapabilityCatalog } from './capability-catalog.js';

/** Bump when the child templates change in a way the file contents alone would not show. */
export const TEMPLATE_VERSION = '1';

/** What shapes a child's program, and so its image. Per-server data is deliberately absent. */
export interface ProgramSpec {
  capabilities: string[];
}

/** A rendered build context: files by relative path, and the content hash that names its image. */
export interface RenderedContext {
  files: Map<string, string>;
  hash: string;
}

/** Renders `templates/child` and the chosen capability units into a Docker build context. */
export class ChildContextRenderer {
  private readonly env: nunjucks.Environment;

  constructor(
    templatesDir: string,
    private readonly catalog: CapabilityCatalog,
    private readonly settings: { childBase: string; containerPort: number },
  ) {
    // autoescape is for HTML; these are JS and Dockerfiles, where strings go through `dump`.
    this.env = new nunjucks.Environment(new nunjucks.FileSystemLoader(templatesDir, { noCache: false }), {
      autoescape: false,
      throwOnUndefined: true,
    });
  }

  /** `baseImageId` takes part in the hash, so a rebuilt child base yields new child images. */
  render(spec: ProgramSpec, baseImageId: string): RenderedContext {
    const capabilities = [...new Set(spec.capabilities)].sort().map((name) => this.catalog.get(name));
    const vars = {
      template_version: TEMPLATE_VERSION,
      child_base: this.settings.childBase,
      container_port: this.settings.containerPort,
      capabilities,
    };
    const files = new Map<string, string>();
    files.set('Dockerfile', this.env.render('child/Dockerfile.njk', vars));
    files.set('app/server.js', this.env.render('child/server.js.njk', vars));
    const manifest = { template_version: TEMPLATE_VERSION, capabilities };
    files.set('app/manifest.json', JSON.stringify(manifest, null, 2) + '\n');
    for (const capability of capabilities) {
      const source = this.env.render(`capabilities/${capability.name}/handlers.js.njk`, { capability });
      files.set(`app/capabilities/${capability.name}.js`, source);
    }
    return { files, hash: contentHash(files, baseImageId) };
  }
}

/** sha256 over the sorted files and the base image id. */
export function contentHash(files: Map<string, string>, baseImageId: string): string {
  const h = createHash('sha256').update(`base:${baseImageId}\n`);
  for (const name of [...files.keys()].sort()) h.update(`${name}\n${files.get(name)}\n`);
  return h.digest('hex');
}

/** Writes the context into a fresh temp folder; the returned cleanup removes it. */
export async function writeContext(ctx: RenderedContext): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-ctx-'));
  for (const [name, content] of ctx.files) {
    const target = path.join(dir, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
