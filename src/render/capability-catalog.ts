import { readdir, readFile, access } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { unitManifestSchema, type UnitKind, type UnitManifest } from './unit-manifest.js';

export type { UnitKind, UnitManifest } from './unit-manifest.js';

/** Raised at start-up when a capability unit is broken; the message names it. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** The message prefix naming a broken unit and where it lives. */
export const unitLabel = (dir: string, where: string) => `capability template "${dir}" (${where})`;

/** ajv's reasons; the `if` keyword's own error only repeats the specific one that comes with it. */
const describe = (validate: ValidateFunction) =>
  (validate.errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ');

/**
 * The capability units found under a templates folder (capabilities, handlers and options),
 * validated once at start-up: manifest schema, settings schemas, tool names unique across units.
 */
export class CapabilityCatalog {
  private constructor(
    readonly root: string,
    private readonly byName: Map<string, UnitManifest>,
    private readonly settingsValidators: Map<string, ValidateFunction>,
  ) {}

  static async load(templatesDir: string): Promise<CapabilityCatalog> {
    const root = path.join(templatesDir, 'capabilities');
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile<UnitManifest>(unitManifestSchema);
    const byName = new Map<string, UnitManifest>();
    const validators = new Map<string, ValidateFunction>();
    const owners = new Map<string, string>();
    const entries = await readdir(root, { withFileTypes: true }).catch((err: Error) => {
      throw new TemplateError(`templates folder ${templatesDir} has no readable capabilities/ folder: ${err.message}`);
    });
    for (const dir of entries.filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
      const where = path.join(root, dir);
      const fail = (problem: string) => new TemplateError(`${unitLabel(dir, where)}: ${problem}`);
      const manifest = await readManifest(where, validate, fail);
      if (manifest.name !== dir) throw fail(`manifest name "${manifest.name}" differs from its folder`);
      await access(path.join(where, 'handlers.js.njk')).catch(() => {
        throw fail('handlers.js.njk is missing');
      });
      // Units are combined freely, so a tool name or mount point may belong to one unit only.
      const claims = [...manifest.tools.map((t) => `tool "${t.name}"`), ...(manifest.needs?.mount ? [`mount target ${manifest.needs.mount.target}`] : [])];
      for (const claim of claims) {
        if (owners.has(claim)) throw fail(`${claim} is already declared by capability template "${owners.get(claim)}"`);
        owners.set(claim, dir);
      }
      // Children compile their tools' schemas on first use: a schema that does not compile fails here.
      for (const tool of manifest.tools) {
        try {
          ajv.compile(tool.inputSchema);
        } catch (err) {
          throw fail(`tool "${tool.name}" has an input schema ajv cannot compile: ${(err as Error).message}`);
        }
      }
      if (manifest.settings) validators.set(dir, compileSettings(ajv, manifest, fail));
      else if (manifest.needs?.mount) throw fail('needs.mount names a setting, but the unit declares no settings');
      byName.set(dir, manifest);
    }
    return new CapabilityCatalog(root, byName, validators);
  }

  /** Unit names, all or of one kind, sorted. */
  names(kind?: UnitKind): string[] {
    return [...this.byName.values()].filter((u) => !kind || u.kind === kind).map((u) => u.name);
  }

  find(name: string): UnitManifest | undefined {
    return this.byName.get(name);
  }

  get(name: string): UnitManifest {
    const found = this.byName.get(name);
    if (!found) throw new TemplateError(`unknown capability: ${name}`);
    return found;
  }

  all(): UnitManifest[] {
    return [...this.byName.values()];
  }

  /** Keys `options` accepts: option units, and units that take settings. */
  optionKeys(): string[] {
    return this.all().filter((u) => u.kind === 'option' || u.settings).map((u) => u.name);
  }

  /** Null when `value` fits the unit's settings schema, else the reasons, each naming its `options.<name>...` path. */
  checkSettings(name: string, value: unknown): string | null {
    const validate = this.settingsValidators.get(name);
    if (!validate) return `options.${name} is not taken by capability template "${name}"`;
    if (validate(value)) return null;
    return (validate.errors ?? [])
      .map((e) => {
        const params = e.params as { allowedValues?: unknown[]; additionalProperty?: string };
        const detail = params.allowedValues ?? (params.additionalProperty !== undefined ? [params.additionalProperty] : []);
        const which = detail.length ? `: ${detail.map((v) => JSON.stringify(v)).join(', ')}` : '';
        return `options.${name}${e.instancePath.replaceAll('/', '.')} ${e.message}${which}`;
      })
      .join('; ');
  }
}

type Fail = (problem: string) => TemplateError;

async function readManifest(where: string, validate: ValidateFunction<UnitManifest>, fail: Fail): Promise<UnitManifest> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path.join(where, 'capability.json'), 'utf8'));
  } catch (err) {
    throw fail(`cannot read capability.json: ${(err as Error).message}`);
  }
  if (!validate(manifest)) throw fail(`invalid capability.json: ${describe(validate)}`);
  return manifest;
}

/** The settings validator; a mounted setting must be a required property of the schema. */
function compileSettings(ajv: Ajv, manifest: UnitManifest, fail: Fail): ValidateFunction {
  const settings = manifest.settings!;
  let validator: ValidateFunction;
  try {
    validator = ajv.compile(settings.schema);
  } catch (err) {
    throw fail(`settings.schema is not a valid JSON Schema: ${(err as Error).message}`);
  }
  const mount = manifest.needs?.mount;
  const schema = settings.schema as { properties?: Record<string, unknown>; required?: string[] };
  if (mount && !(schema.properties?.[mount.setting] && schema.required?.includes(mount.setting))) {
    throw fail(`needs.mount.setting "${mount.setting}" must be a required property of settings.schema`);
  }
  return validator;
}
