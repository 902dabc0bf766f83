// @ts-check
/**
 * Joins the manifest's tool declarations (name, description, JSON Schema input)
 * with the handler functions exported by each capability module; each handler is
 * called with its own unit's context.
 */
import { Ajv } from 'ajv';

/**
 * One ajv for every tool: made when this module is evaluated, that is into the V8 startup snapshot
 * (making one adds its vocabularies: tens of milliseconds at each start otherwise).
 */
const ajv = new Ajv({ allErrors: true, strict: false });

/**
 * @typedef {{ name: string, description: string, inputSchema: object,
 *   validate: import('ajv').ValidateFunction, handler: Function, context: object }} ChildTool
 */

/**
 * @param {{ capabilities: Array<{ name: string, tools: Array<{ name: string, description: string, inputSchema: object }> }> }} manifest
 * @param {Record<string, Record<string, Function>>} modules
 * @param {Record<string, object>} contexts by unit name
 */
export function buildToolTable(manifest, modules, contexts) {
  /** @type {Map<string, ChildTool>} */
  const byName = new Map();
  for (const capability of manifest.capabilities) {
    const handlers = modules[capability.name] ?? {};
    for (const decl of capability.tools) {
      const handler = handlers[decl.name];
      if (typeof handler !== 'function') {
        throw new Error(`capability ${capability.name} declares tool ${decl.name} but exports no handler for it`);
      }
      byName.set(decl.name, { ...decl, validate: lazyValidator(ajv, decl.inputSchema), handler, context: contexts[capability.name] });
    }
  }
  const list = [...byName.values()];
  return {
    list,
    /** @param {string} name */
    get: (name) => byName.get(name),
  };
}

/**
 * A validator compiled on its first call: compiling every tool's schema is a large share of a
 * child's start-up, and most tools are never called. The forge compiles each schema when it
 * loads the templates (capability-catalog.ts), so a schema that does not compile never gets here.
 * @param {Ajv} ajv @param {object} schema
 */
function lazyValidator(ajv, schema) {
  /** @type {import('ajv').ValidateFunction | null} */
  let compiled = null;
  /** @param {unknown} data */
  const validate = (data) => {
    compiled ??= ajv.compile(schema);
    const ok = /** @type {boolean} */ (compiled(data));
    validate.errors = compiled.errors;
    return ok;
  };
  /** @type {import('ajv').ErrorObject[] | null | undefined} */
  validate.errors = null;
  return validate;
}
