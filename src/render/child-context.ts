import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { TemplateError, unitLabel, type CapabilityCatalog } from './capability-catalog.js';
import type { UnitManifest } from './unit-manifest.js';

/** Bump when the child templates change in a way the file contents alone would not show. */
export const TEMPLATE_VERSION = '2';

/**
 * What shapes a child's program, and so its image. Per-server data is deliberately absent.
 */
export interface ProgramSpec {
  /** Every unit the program contains: its capabilities, handlers and the options switched on. */
  capabilities: string[];
}

/** A rendered build context: files by relative path (a name ending in "/" is an empty folder), and the content hash that names its image. */
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
    private readonly settings: { childBase: string; containerPort: number; childUid: number },
  ) {
    // autoescape is for HTML; these are JS and Dockerfiles, where strings go through `dump`.
    this.env = new nunjucks.Environment(new nunjucks.FileSystemLoader(templatesDir, { noCache: false }), {
      autoescape: false,
      throwOnUndefined: true,
    });
  }

  /** `baseImageId` takes part in the hash, so a rebuilt child base yields new child images. */
  render(spec: ProgramSpec, baseImageId: string): RenderedContext {
    const units = [...new Set(spec.capabilities)].sort().map((name) => this.catalog.get(name));
    const volume = units.some((u) => u.needs?.volume);
    const vars = {
      template_version: TEMPLATE_VERSION,
      child_base: this.settings.childBase,
      container_port: this.settings.containerPort,
      child_uid: this.settings.childUid,
      capabilities: units,
      volume,
    };
    const files = new Map<string, string>();
    files.set('Dockerfile', this.env.render('child/Dockerfile.njk', vars));
    files.set('app/server.js', this.env.render('child/server.js.njk', vars));
    const manifest = { template_version: TEMPLATE_VERSION, capabilities: units };
    files.set('app/manifest.json', JSON.stringify(manifest, null, 2) + '\n');
    for (const unit of units) files.set(`app/capabilities/${unit.name}.js`, this.renderUnit(unit));
    if (volume) files.set('data/', '');
    return { files, hash: contentHash(files, baseImageId) };
  }

  /**
   * Start-up check of every unit: its template renders on its own and exports what its
   * manifest promises; then the child templates render with all units at once.
   */
  verify(): void {
    for (const unit of this.catalog.all()) {
      const fail = (problem: string) => new TemplateError(`${unitLabel(unit.name, path.join(this.catalog.root, unit.name))}: ${problem}`);
      let source: string;
      try {
        source = this.renderUnit(unit);
      } catch (err) {
        throw fail(`handlers.js.njk does not render: ${(err as Error).message}`);
      }
      const missing = requiredExports(unit).filter((name) => !exportsName(source, name));
      if (missing.length) throw fail(`handlers.js.njk does not export ${missing.map((m) => `"${m}"`).join(', ')} (declared in capability.json)`);
    }
    try {
      this.render({ capabilities: this.catalog.names() }, 'start-up-check');
    } catch (err) {
      throw new TemplateError(`child templates (child/Dockerfile.njk, child/server.js.njk) do not render: ${(err as Error).message}`);
    }
  }

  private renderUnit(unit: UnitManifest): string {
    return this.env.render(`capabilities/${unit.name}/handlers.js.njk`, { capability: unit });
  }
}

/** A handler per tool; `hooks` (with `authorize`) where the unit guards the child with credentials. */
function requiredExports(unit: UnitManifest): string[] {
  return [...unit.tools.map((t) => t.name), ...(unit.needs?.credentials ? ['hooks'] : [])];
}

function exportsName(source: string, name: string): boolean {
  const declared = new RegExp(`export\\s+(?:async\\s+)?(?:function\\*?|const|let|var|class)\\s+${name}\\b`);
  const listed = new RegExp(`export\\s*\\{(?:[^}]*,)?\\s*(?:[A-Za-z_$][\\w$]*\\s+as\\s+)?${name}\\s*[,}]`);
  return declared.test(source) || listed.test(source);
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
    if (name.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
