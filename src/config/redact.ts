/** Keys whose values get_config never shows: tokens, secrets, passwords (at any depth). */
export const SECRET_KEY = /token|secret|password|passphrase|api[_-]?key|credential/i;

export const REDACTED = '[redacted]';

/**
 * A copy of `value` with every secret-looking key's value replaced by REDACTED. Empty
 * values (null, "", [], {}) stay as they are: that a secret is unset is not a secret.
 */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && !isEmpty(v) ? REDACTED : redactSecrets(v);
  }
  return out as T;
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}
