import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import type { StoredCredentials } from '../registry/server-record.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/** scrypt cost (memory-hard, tens of ms per check); the child caches the headers it has verified. */
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;

/** What create_server returns once. */
export interface IssuedCredentials {
  scheme: 'basic';
  username: string;
  password: string;
  /** The ready-made Authorization header value. */
  authorization: string;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_BYTES, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** New random credentials for `username`: the issued ones for the caller, the stored ones for the registry. */
export async function issueCredentials(username: string): Promise<{ issued: IssuedCredentials; stored: StoredCredentials }> {
  const password = randomBytes(24).toString('base64url');
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return {
    issued: { scheme: 'basic', username, password, authorization },
    stored: { scheme: 'basic', username, hash: await hashPassword(password) },
  };
}
