import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The API's server id format: `mcp-YYYYMMDD-xxxxxx` (UTC date, six lowercase letters or digits). */
export const SERVER_ID_PATTERN = /^mcp-\d{8}-[a-z0-9]{6}$/;

/** `length` random lowercase letters or digits. */
export function randomSuffix(length = 6): string {
  let suffix = '';
  for (let i = 0; i < length; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return suffix;
}

/** A new id not in `taken`. */
export function newServerId(taken: (id: string) => boolean, now = new Date()): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '');
  for (;;) {
    const id = `mcp-${date}-${randomSuffix()}`;
    if (!taken(id)) return id;
  }
}
