import { readdir, readFile, access } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';

/** One capability unit's manifest (`templates/capabilities/<name>/capability.json`). */
export interface CapabilityManifest {
  name: string;
  version: string;
  description: string;
  tools: Array<{ name: string; description: string; inputSchema: Record<string, unknown> }>;
}

const manifestSchema = {
  type: 'object',
  required: ['name', 'version', 'description', 'tools'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,39}$' },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
    description: { type: 'string', minLength: 1 },
    tools: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'description', 'inputSchema'],
        properties: {
          name: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$' },
          description: { type: 'string', minLength: 1 },
          inputSchema: { type: 'object', required: ['type'], properties: { type: { const: 'object' } } },
        },
      },
    },
  },
} as const;

/** Raised at start-up when a capability unit is broken; the message names it. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** The capability units found under a templates folder, validated once at start-up. */
export class CapabilityCatalog {
  private constructor(private readonly byName: Map<string, CapabilityManifest>) {}

  static async load(templatesDir: string): Promise<CapabilityCatalog> {
    const root = path.join(templatesDir, 'capabilities');
    const validate = new Ajv({ allErrors: true, strict: false }).compile<CapabilityManifest>(manifestSchema);
    const byName = new Map<string, CapabilityManifest>();
    const dirs = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    for (const dir of dirs) {
      const where = path.join(root, dir);
      let manifest: unknown;
      try {
        manifest = JSON.parse(await readFile(path.join(where, 'capability.json'), 'utf8'));
      } catch (err) {
        throw new TemplateError(`capability template "${dir}" (${where}): cannot read capability.json: ${(err as Error).message}`);
      }
      if (!validate(manifest)) {
        const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
        throw new TemplateError(`capability template "${dir}" (${where}): invalid capability.json: ${problems}`);
      }
      if (manifest.name !== dir) {
        throw new TemplateError(`capability template "${dir}" (${where}): manifest name "${manifest.name}" differs from its folder`);
      }
      await access(path.join(where, 'handlers.js.njk')).catch(() => {
        throw new TemplateError(`capability template "${dir}" (${where}): handlers.js.njk is missing`);
      });
      byName.set(dir, manifest);
    }
    return new CapabilityCatalog(byName);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): CapabilityManifest {
    const found = this.byName.get(name);
    if (!found) throw new TemplateError(`unknown capability: ${name}`);
    return found;
  }

  all(): CapabilityManifest[] {
    return [...this.byName.values()];
  }
}
