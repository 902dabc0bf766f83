import type { CapabilityCatalog, UnitKind, UnitManifest } from '../render/capability-catalog.js';
import { DEFAULT_CAPABILITIES } from '../servers/create-request.js';
import { SOURCES_VIEW } from '../sources/sources-view.js';

const unitView = (u: UnitManifest) => ({
  name: u.name,
  kind: u.kind,
  version: u.version,
  description: u.description,
  tools: u.tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
  /** What options.<name> takes: the option's value, or the settings of a capability or handler. */
  option: u.settings ? { path: `options.${u.name}`, required: u.settings.required, schema: u.settings.schema, example: u.settings.example ?? null } : null,
  needs: u.needs ?? {},
});

/** What create_server accepts, as list_capabilities and capabilities://list show it: one list per parameter. */
export function catalogView(catalog: CapabilityCatalog, kind?: UnitKind) {
  const of = (k: UnitKind) => (kind && kind !== k ? [] : catalog.all().filter((u) => u.kind === k).map(unitView));
  const capabilities = of('capability');
  const handlers = of('handler');
  const options = of('option');
  return {
    count: capabilities.length + handlers.length + options.length,
    default_capabilities: DEFAULT_CAPABILITIES,
    capabilities,
    handlers,
    options,
    /** Instead of units: existing servers create_server runs with `source` (and `secrets`). */
    sources: SOURCES_VIEW,
  };
}
