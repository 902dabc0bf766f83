import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configDir } from './paths.js';

/**
 * The part of a JSON Schema the forge walks a value with: `writeOnly` marks a secret that is
 * never shown (redaction), `x-digest` one kept only as a digest at rest (the forge only compares it).
 */
export interface SchemaNode {
  writeOnly?: boolean;
  'x-digest'?: boolean;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: boolean | SchemaNode;
  [keyword: string]: unknown;
}

/** config/schema.json, read once. */
export const configSchema: SchemaNode & { properties: Record<string, SchemaNode & { properties: Record<string, SchemaNode> }> } = JSON.parse(
  readFileSync(path.join(configDir, 'schema.json'), 'utf8'),
);

/** The schema of one config key, or undefined for an unknown section or key. */
export function configKeySchema(section: unknown, key: unknown): SchemaNode | undefined {
  if (typeof section !== 'string' || typeof key !== 'string') return undefined;
  const s = Object.hasOwn(configSchema.properties, section) ? configSchema.properties[section] : undefined;
  return s && Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
}

/** The schema node of `key` inside an object described by `schema`, and whether the key is declared there by name. */
export function childSchema(schema: SchemaNode | undefined, key: string): { node: SchemaNode | undefined; declared: boolean } {
  if (schema?.properties && Object.hasOwn(schema.properties, key)) return { node: schema.properties[key], declared: true };
  const extra = schema?.additionalProperties;
  return { node: typeof extra === 'object' ? extra : undefined, declared: false };
}
