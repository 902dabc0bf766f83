import { createHash } from 'node:crypto';
import { childSchema, type SchemaNode } from '../config/config-schema.js';

/** How a secret is kept at rest: `sha256:` and 64 hex digits. */
export const DIGEST_FORM = /^sha256:[0-9a-f]{64}$/;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** The digest form of a secret; a value already in digest form stays as it is. */
export function digestOf(secret: string): string {
  return DIGEST_FORM.test(secret) ? secret : `sha256:${sha256(secret).toString('hex')}`;
}

/** The 32 digest bytes of a stored secret (a digest, or a plain token from the config file or environment). */
export function digestBytes(stored: string): Buffer {
  return DIGEST_FORM.test(stored) ? Buffer.from(stored.slice(7), 'hex') : sha256(stored);
}

/** The 32 digest bytes of a secret someone presents. */
export const presentedDigest = sha256;

/** A copy of `value` with every string the schema marks `x-digest` in digest form. */
export function digestSecrets<T>(value: T, schema: SchemaNode | undefined): T {
  if (!schema) return value;
  if (schema['x-digest'] && typeof value === 'string') return digestOf(value) as T;
  if (Array.isArray(value)) return value.map((v) => digestSecrets(v, schema.items)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, digestSecrets(v, childSchema(schema, k).node)])) as T;
}
