import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ForgeConfig } from '../config/forge-config.js';
import type { ServerRecord } from '../registry/server-record.js';
import { tokenHash } from './child-token.js';

const SECRET_FILE = 'child-secret';
const secrets = new Map<string, Buffer>();

/**
 * The forge's own secret (32 random bytes in `<data_dir>/child-secret`, mode 0600), created on
 * first use. Per-child internal tokens derive from it, so the forge never stores them.
 */
export function forgeSecret(dataDir: string): Buffer {
  const file = path.resolve(dataDir, SECRET_FILE);
  const cached = secrets.get(file);
  if (cached) return cached;
  let secret: Buffer;
  try {
    secret = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    secret = randomBytes(32);
    try {
      writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      secret = readFileSync(file);
    }
  }
  if (secret.length < 32) throw new Error(`${file} is damaged (shorter than 32 bytes); remove it to have a new one made (children then need re-creating)`);
  secrets.set(file, secret);
  return secret;
}

/** The token the forge itself uses for one child: HMAC-SHA256 of the server id under the forge's secret. */
export function internalToken(record: Pick<ServerRecord, 'id'>, config: ForgeConfig): string {
  return createHmac('sha256', forgeSecret(config.storage.data_dir)).update(`child:${record.id}`).digest('base64url');
}

/** Hash of the internal token, which the child accepts besides the caller's token. */
export const internalTokenHash = (record: Pick<ServerRecord, 'id'>, config: ForgeConfig) => tokenHash(internalToken(record, config));

/**
 * The headers the forge sends to reach one of its children (readiness, monitor polls, the
 * gateway). Every child this forge created accepts them, whatever credentials its callers need.
 */
export function childAuthHeaders(record: Pick<ServerRecord, 'id'>, config: ForgeConfig): Record<string, string> {
  return { authorization: `Bearer ${internalToken(record, config)}` };
}
