import { childSchema, type SchemaNode } from '../config/config-schema.js';

export const REDACTED = '[redacted]';

/** Names that mark a secret where no schema describes the key (free-form options, unknown tools). */
export const SECRET_NAME = /pass|token|secret|credential|authorization|api[-_]?key/i;

const MAX_STRING = 256;
const MAX_ITEMS = 50;
const MAX_DEPTH = 8;

export interface RedactOptions {
  /** Describes `value`: a node with `writeOnly` is hidden; a key declared in `properties` is judged by its schema alone. */
  schema?: SchemaNode;
  /** Cut long strings, long lists, many keys and deep nesting (for records: logs, the audit log). Default true. */
  bound?: boolean;
}

/**
 * The forge's one redactor, for everything that shows or records values (get_config, set_config
 * answers, the audit log, logs). A value is hidden when its schema marks it `writeOnly`, or, for a
 * key the schema does not declare, when the key's name looks secret. Empty values (null, "", [],
 * {}) stay: that a secret is unset is not a secret. The input is never changed.
 */
export function redact<T = unknown>(value: T, options: RedactOptions = {}): T {
  return walk(value, options.schema, options.bound ?? true, 0) as T;
}

function walk(value: unknown, schema: SchemaNode | undefined, bound: boolean, depth: number): unknown {
  if (schema?.writeOnly) return isEmpty(value) ? value : REDACTED;
  if (bound && depth > MAX_DEPTH) return '[nested]';
  if (typeof value === 'string') return bound && value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…(${value.length} chars)` : value;
  if (Array.isArray(value)) {
    const shown = (bound ? value.slice(0, MAX_ITEMS) : value).map((v) => walk(v, schema?.items, bound, depth + 1));
    return bound && value.length > MAX_ITEMS ? [...shown, `…(${value.length - MAX_ITEMS} more)`] : shown;
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of bound ? entries.slice(0, MAX_ITEMS) : entries) {
    const { node, declared } = childSchema(schema, k);
    out[k] = !declared && SECRET_NAME.test(k) && !isEmpty(v) ? REDACTED : walk(v, node, bound, depth + 1);
  }
  if (bound && entries.length > MAX_ITEMS) out['…'] = `${entries.length - MAX_ITEMS} more keys`;
  return out;
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}
