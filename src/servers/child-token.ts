import { createHash, randomBytes } from 'node:crypto';

/** `sha256:<hex>`: how the registry keeps a child token (tokens are 256 random bits, so a plain digest suffices). */
export const tokenHash = (token: string) => `sha256:${createHash('sha256').update(token).digest('hex')}`;

/** The hex digest the child compares against, from a stored `sha256:<hex>`. */
export const childDigest = (stored: string) => stored.replace(/^sha256:/, '');

/** A new child bearer token: shown to the caller once; the registry keeps only its hash. */
export function issueChildToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}
