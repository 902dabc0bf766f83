/**
 * The manifest of a capability unit (`templates/capabilities/<name>/capability.json`) and
 * the JSON Schema it is validated against at start-up.
 */

/** How a unit is chosen at create_server: in `capabilities`, in `handlers`, or by `options.<name>`. */
export type UnitKind = 'capability' | 'handler' | 'option';

/** One tool a unit adds to the child: its handlers module exports a function of the same name. */
export interface UnitTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/**
 * Per-server data a unit takes from `options.<unit name>`. It reaches the child as environment
 * data, never as code, so servers differing only in settings share one image.
 */
export interface UnitSettings {
  /** JSON Schema of `options.<unit name>`. */
  schema: Record<string, unknown>;
  /** The unit cannot work without them (create_server refuses the unit alone). */
  required: boolean;
  /** Shown in the error when required settings are missing. */
  example?: unknown;
}

/** What a unit needs from its container beyond the program. */
export interface UnitNeeds {
  /** A host folder named by a setting, bind-mounted read-only at `target`; the child sees `target` in that setting. */
  mount?: { setting: string; target: string };
  /** A per-server named volume (mounted at /data); the unit works in /data/<unit name>. Removed only by delete_server. */
  volume?: boolean;
  /** Credentials generated at creation and returned once; the child gets only their hash. */
  credentials?: 'basic';
  /**
   * The unit makes connections of its own (http_request). A server none of whose units say so is
   * attached to a network with no route out when children are reached through the forge
   * (`children.publish_ports` false); bring-your-own sources always count as needing it.
   */
  network?: boolean;
}

/** A validated capability.json. */
export interface UnitManifest {
  name: string;
  kind: UnitKind;
  version: string;
  description: string;
  tools: UnitTool[];
  settings?: UnitSettings;
  needs?: UnitNeeds;
}

/** Exports a handlers module may have besides its tools: `hooks` (init, close, authorize). */
export const RESERVED_EXPORTS = ['hooks'] as const;

/** Mount points stay out of /app, /opt and /data, which the child image and runtime own. */
const mountTarget = { type: 'string', pattern: '^/(srv|mnt)/[a-z0-9_.-]+$' };

export const unitManifestSchema = {
  type: 'object',
  required: ['name', 'kind', 'version', 'description', 'tools'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,39}$' },
    kind: { enum: ['capability', 'handler', 'option'] },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
    description: { type: 'string', minLength: 1 },
    tools: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'description', 'inputSchema'],
        additionalProperties: false,
        properties: {
          // A JavaScript identifier: the handlers module exports a function by this name.
          name: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]{0,63}$', not: { enum: [...RESERVED_EXPORTS] } },
          description: { type: 'string', minLength: 1 },
          inputSchema: { type: 'object', required: ['type'], properties: { type: { const: 'object' } } },
        },
      },
    },
    settings: {
      type: 'object',
      required: ['schema', 'required'],
      additionalProperties: false,
      properties: { schema: { type: 'object' }, required: { type: 'boolean' }, example: {} },
    },
    needs: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mount: {
          type: 'object',
          required: ['setting', 'target'],
          additionalProperties: false,
          properties: { setting: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' }, target: mountTarget },
        },
        volume: { type: 'boolean' },
        credentials: { enum: ['basic'] },
        network: { type: 'boolean' },
      },
    },
  },
  // Tools are what capabilities and handlers are for; an option may only change behaviour (auth).
  if: { properties: { kind: { enum: ['capability', 'handler'] } } },
  then: { properties: { tools: { minItems: 1 } } },
  else: { required: ['settings'] },
} as const;
