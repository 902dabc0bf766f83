import type { UnitKind } from '../../render/capability-catalog.js';
import { catalogView } from '../catalog-view.js';
import type { ForgeTool } from '../forge-tool.js';

/** list_capabilities: the capability units create_server accepts, from the templates found at start-up. */
export const listCapabilitiesTool: ForgeTool<{ kind?: UnitKind }> = {
  name: 'list_capabilities',
  title: 'List capabilities, handlers and options',
  description:
    'Lists what create_server accepts: capabilities, handlers and options, each with its tools (and their input ' +
    'schemas), the schema of its entry in `options`, and what it needs from the container; and the `source` kinds ' +
    '(npm packages, local images) create_server runs instead.',
  inputSchema: {
    type: 'object',
    properties: { kind: { enum: ['capability', 'handler', 'option'], description: 'Only units of this kind.' } },
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true },
  async handler({ kind }, { services }) {
    return { status: 'success', ...catalogView(services.catalog, kind) };
  },
};
