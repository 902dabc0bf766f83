import { ForgeError } from '../errors/forge-error.js';
import type { CapabilityCatalog, UnitKind } from '../render/capability-catalog.js';
import { checkSource, type SourceArgs } from '../sources/source-args.js';

/** create_server arguments after schema validation. */
export interface CreateArgs {
  name?: string;
  description?: string;
  capabilities?: string[];
  handlers?: string[];
  options?: Record<string, unknown>;
  source?: SourceArgs;
  secrets?: Record<string, string>;
}

/** create_server arguments with the API's defaults applied and every name and option checked. */
export interface CreateRequest {
  name: string | null;
  description: string;
  capabilities: string[];
  handlers: string[];
  options: Record<string, unknown>;
  /** A bring-your-own server's package or image (then no forged units); null for forged servers. */
  source: SourceArgs | null;
  /** Given to the server as env vars, kept encrypted; never stored in the registry. */
  secrets: Record<string, string>;
}

export const DEFAULT_CAPABILITIES = ['echo', 'time', 'uptime'];
export const DEFAULT_DESCRIPTION = 'MCP Server';

const list = (names: string[]) => names.join(', ') || '(none)';
/** Where create_server takes a unit of each kind. */
const PLACE: Record<UnitKind, (name: string) => string> = {
  capability: () => 'capabilities',
  handler: () => 'handlers',
  option: (name) => `options.${name}`,
};

/** Refuses names that are not units of `kind`, naming the known ones (and the right list for a unit of another kind). */
function checkNames(names: string[], kind: Exclude<UnitKind, 'option'>, catalog: CapabilityCatalog) {
  for (const name of names) {
    const unit = catalog.find(name);
    if (unit?.kind === kind) continue;
    const hint = unit ? ` ("${name}" is of kind ${unit.kind}: use ${PLACE[unit.kind](name)})` : '';
    throw ForgeError.invalid(`unknown ${kind}: ${name}${hint}; known ${PLACE[kind](name)}: ${list(catalog.names(kind))}`);
  }
}

/** Every key of `options` must be an option, or the settings of a requested unit, and fit its schema. */
function checkOptions(options: Record<string, unknown>, requested: Set<string>, catalog: CapabilityCatalog) {
  for (const [key, value] of Object.entries(options)) {
    const unit = catalog.find(key);
    if (!unit || !(unit.kind === 'option' || unit.settings)) {
      throw ForgeError.invalid(`unknown option: ${key}; known options: ${list(catalog.optionKeys())}`);
    }
    if (unit.kind !== 'option' && !requested.has(key)) {
      throw ForgeError.invalid(`options.${key} configures the ${unit.kind} "${key}", which this request does not include`);
    }
    const problem = catalog.checkSettings(key, value);
    if (problem) throw ForgeError.invalid(`invalid option: ${problem}`);
  }
  for (const name of requested) {
    const settings = catalog.get(name).settings;
    if (settings?.required && options[name] === undefined) {
      const example = settings.example !== undefined ? `, e.g. options.${name} = ${JSON.stringify(settings.example)}` : '';
      throw ForgeError.invalid(`${catalog.get(name).kind} "${name}" needs options.${name}${example}`);
    }
  }
}

/** Applies defaults and rejects unknown capabilities, handlers and options, naming the known ones. */
export function toCreateRequest(args: CreateArgs, catalog: CapabilityCatalog): CreateRequest {
  // The gateway names a server's tools <name>__<tool>; without "__" in names, the split is unambiguous.
  if (args.name?.includes('__')) throw ForgeError.invalid(`name "${args.name}" must not contain "__" (the gateway names tools <server_name>__<tool>)`);
  checkSource(args.source, args.secrets, args);
  if (args.source) {
    return {
      name: args.name ?? null,
      description: args.description ?? DEFAULT_DESCRIPTION,
      capabilities: [],
      handlers: [],
      options: {},
      source: structuredClone(args.source),
      secrets: { ...(args.secrets ?? {}) },
    };
  }
  const capabilities = args.capabilities ?? DEFAULT_CAPABILITIES;
  const handlers = args.handlers ?? [];
  const options = args.options ?? {};
  checkNames(capabilities, 'capability', catalog);
  checkNames(handlers, 'handler', catalog);
  checkOptions(options, new Set([...capabilities, ...handlers]), catalog);
  return {
    name: args.name ?? null,
    description: args.description ?? DEFAULT_DESCRIPTION,
    capabilities: [...capabilities],
    handlers: [...handlers],
    options: structuredClone(options),
    source: null,
    secrets: {},
  };
}
