// @ts-check
/**
 * Joins the manifest's tool declarations (name, description, JSON Schema input)
 * with the handler functions exported by each capability module.
 */
import { Ajv } from 'ajv';

/**
 * @typedef {{ name: string, description: string, inputSchema: object,
 *   validate: import('ajv').ValidateFunction, handler: Function }} ChildTool
 */

/**
 * @param {{ capabilities: Array<{ name: string, tools: Array<{ name: string, description: string, inputSchema: object }> }> }} manifest
 * @param {Record<string, Record<string, Function>>} modules
 * @param {object} identity
 */
export function buildToolTable(manifest, modules, identity) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  /** @type {Map<string, ChildTool>} */
  const byName = new Map();
  for (const capability of manifest.capabilities) {
    const handlers = modules[capability.name] ?? {};
    for (const decl of capability.tools) {
      const handler = handlers[decl.name];
      if (typeof handler !== 'function') {
        throw new Error(`capability ${capability.name} declares tool ${decl.name} but exports no handler for it`);
      }
      byName.set(decl.name, { ...decl, validate: ajv.compile(decl.inputSchema), handler });
    }
  }
  const list = [...byName.values()];
  return {
    list,
    /** @param {string} name */
    get: (name) => byName.get(name),
    context: { identity, manifest },
  };
}
