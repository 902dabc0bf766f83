import path from 'node:path';
import nunjucks from 'nunjucks';
import { builtinTemplatesDir } from '../config/paths.js';
import { contentHash, type RenderedContext } from '../render/child-context.js';
import type { ImageSource, NpmSource } from '../registry/server-record.js';

/** Bump when templates/source changes in a way the rendered files alone would not show. */
const SOURCE_TEMPLATE_VERSION = '1';

/**
 * Build contexts of bring-your-own children (templates/source). Only validated names and the
 * forge's own settings are rendered; what to run travels as data (source.json). The npm
 * context names its cache key instead of holding node_modules: a cache folder never changes
 * once made, so the key stands for its content in the hash.
 */
export class SourceContextRenderer {
  private readonly env = new nunjucks.Environment(new nunjucks.FileSystemLoader(path.join(builtinTemplatesDir, 'source')), {
    autoescape: false,
    throwOnUndefined: true,
  });

  constructor(private readonly settings: { childBase: string; containerPort: number; childUser: string }) {}

  npm(source: NpmSource, baseImageId: string): RenderedContext {
    const files = new Map<string, string>();
    files.set('Dockerfile', this.env.render('npm.Dockerfile.njk', this.vars()));
    const spec = { package: source.package, version: source.version, bin: path.posix.join('/app/node_modules', source.package, source.bin) };
    files.set('app/source.json', JSON.stringify(spec, null, 2) + '\n');
    files.set('app/.mcp-forge-cache-key', `${SOURCE_TEMPLATE_VERSION}\n${source.cache_key}\n`);
    return { files, hash: contentHash(files, baseImageId) };
  }

  /** `command`: the image's entrypoint and cmd, run by the bridge in the image's working folder. */
  stdioImage(source: ImageSource, command: string[], workingDir: string, baseImageId: string): RenderedContext {
    const files = new Map<string, string>();
    files.set('Dockerfile', this.env.render('stdio-image.Dockerfile.njk', this.vars()));
    files.set('source.json', JSON.stringify({ image: source.image, command, ...(workingDir ? { cwd: workingDir } : {}) }, null, 2) + '\n');
    files.set('.mcp-forge-source-image', `${SOURCE_TEMPLATE_VERSION}\n${source.image_id}\n`);
    return { files, hash: contentHash(files, baseImageId) };
  }

  private vars() {
    return { child_base: this.settings.childBase, container_port: this.settings.containerPort, child_user: this.settings.childUser };
  }
}
