import { ForgeError } from '../errors/forge-error.js';
import type { CapabilityCatalog } from '../render/capability-catalog.js';

/** create_server arguments after schema validation. */
export interface CreateArgs {
  name?: string;
  description?: string;
  capabilities?: string[];
  handlers?: string[];
  options?: Record<string, unknown>;
}

/** create_server arguments with the API's defaults applied and every name checked. */
export interface CreateRequest {
  name: string | null;
  description: string;
  capabilities: string[];
  handlers: string[];
  options: Record<string, unknown>;
}

export const DEFAULT_CAPABILITIES = ['echo', 'time', 'uptime'];
export const DEFAULT_DESCRIPTION = 'MCP Server';
/** Options the template system knows; none yet beyond the defaults. */
export const KNOWN_OPTIONS: readonly string[] = [];

const unknownIn = (names: string[], known: (n: string) => boolean) => names.filter((n) => !known(n));

/** Applies defaults and rejects unknown capabilities, handlers and options, naming the known ones. */
export function toCreateRequest(args: CreateArgs, catalog: CapabilityCatalog): CreateRequest {
  const capabilities = args.capabilities ?? DEFAULT_CAPABILITIES;
  const handlers = args.handlers ?? [];
  const options = args.options ?? {};
  const known = catalog.names().join(', ');
  const badCaps = unknownIn(capabilities, (n) => catalog.has(n));
  if (badCaps.length) throw ForgeError.invalid(`unknown capability: ${badCaps.join(', ')}; known capabilities: ${known}`);
  const badHandlers = unknownIn(handlers, (n) => catalog.has(n));
  if (badHandlers.length) throw ForgeError.invalid(`unknown handler: ${badHandlers.join(', ')}; known handlers: ${known}`);
  const badOptions = unknownIn(Object.keys(options), (n) => KNOWN_OPTIONS.includes(n));
  if (badOptions.length) {
    throw ForgeError.invalid(`unknown option: ${badOptions.join(', ')}; known options: ${KNOWN_OPTIONS.join(', ') || '(none)'}`);
  }
  return {
    name: args.name ?? null,
    description: args.description ?? DEFAULT_DESCRIPTION,
    capabilities: [...capabilities],
    handlers: [...handlers],
    options: { ...options },
  };
}
