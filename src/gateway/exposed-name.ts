import { createHash } from 'node:crypto';

/** The longest tool name the gateway exposes. */
export const MAX_NAME = 64;
export const SEPARATOR = '__';

/**
 * `<prefix>__<name>`, the name a child's tool or prompt has at the gateway. A name that would
 * pass 64 characters, or holds characters MCP tool names do not allow, is cut to 51 valid
 * characters and ends in `-` and 12 hex digits of its SHA-256: deterministic, so it is the
 * same in every session and after a restart.
 */
export function exposedName(prefix: string, name: string): string {
  const raw = `${prefix}${SEPARATOR}${name}`;
  if (raw.length <= MAX_NAME && /^[A-Za-z0-9_.-]+$/.test(raw)) return raw;
  const digest = createHash('sha256').update(raw).digest('hex').slice(0, 12);
  return `${raw.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, MAX_NAME - 13)}-${digest}`;
}

/** A child's resource URI at the gateway: `gateway://<prefix>/<the child's own URI>`. */
export function exposedUri(prefix: string, uri: string): string {
  return `gateway://${prefix}/${uri}`;
}

/** The prefix and the child's URI of a gateway resource URI; null when it is not one. */
export function parseUri(uri: string): { prefix: string; uri: string } | null {
  const match = /^gateway:\/\/([A-Za-z0-9_-]+)\/(.+)$/.exec(uri);
  return match ? { prefix: match[1], uri: match[2] } : null;
}
