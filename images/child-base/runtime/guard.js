// @ts-check
/**
 * The child's own front-door checks, before any unit's: Host and Origin must name one of the
 * child's addresses (DNS rebinding), and a forge-issued bearer token is checked against the
 * hashes the forge passed in (never the tokens themselves). Everything arrives as environment
 * data: FORGE_ALLOWED_HOSTS (JSON list of "host" or "host:port"), FORGE_TOKEN_HASHES
 * (comma-separated SHA-256 hex digests), FORGE_INTERNAL_TOKEN_HASH (the forge's own, one of
 * them) and FORGE_REQUIRE_TOKEN.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';

/** The SHA-256 digest of the bearer token a request presents, or null. @param {import('node:http').IncomingMessage} req */
function presented(req) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match ? createHash('sha256').update(match[1]).digest() : null;
}

/** @param {string} value */
const normal = (value) => value.trim().toLowerCase().replace(/\.(?=:\d+$|$)/, '');

/** @param {string | undefined} raw */
function parseHosts(raw) {
  /** @type {unknown} */
  let list = [];
  try {
    list = JSON.parse(raw ?? '[]');
  } catch {
    throw new Error('FORGE_ALLOWED_HOSTS is not a JSON list');
  }
  if (!Array.isArray(list)) throw new Error('FORGE_ALLOWED_HOSTS is not a JSON list');
  const exact = new Set();
  const anyPort = new Set();
  for (const entry of list.map(String).map(normal)) {
    if (/:\d+$/.test(entry)) exact.add(entry);
    else anyPort.add(entry.replace(/^\[|\]$/g, ''));
  }
  return { exact, anyPort };
}

/** @param {string} value the Host header or an Origin's host part, e.g. "127.0.0.1:9001" or "[::1]:9001" */
function splitHost(value) {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(value);
  if (!match) return null;
  return { name: match[1].replace(/^\[|\]$/g, ''), port: match[2] ?? null };
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {number} containerPort
 */
export function createGuard(env, containerPort) {
  const { exact, anyPort } = parseHosts(env.FORGE_ALLOWED_HOSTS);
  // Inside the container, loopback can only be the container itself (and Docker's health checks).
  for (const name of ['127.0.0.1', 'localhost', '[::1]']) exact.add(`${name}:${containerPort}`);
  // The child's own addresses (a forge on the host reaches it at its network address): an IP
  // literal names no DNS record, so accepting it opens nothing to DNS rebinding.
  for (const a of Object.values(networkInterfaces()).flat()) {
    if (a) exact.add(`${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${containerPort}`);
  }
  const hashes = (env.FORGE_TOKEN_HASHES ?? '').split(',').map((h) => h.trim()).filter(Boolean).map((h) => Buffer.from(h, 'hex'));
  const internal = env.FORGE_INTERNAL_TOKEN_HASH ? Buffer.from(env.FORGE_INTERNAL_TOKEN_HASH, 'hex') : null;
  const requireToken = /^(1|true)$/i.test(env.FORGE_REQUIRE_TOKEN ?? '');
  if (requireToken && hashes.length === 0) throw new Error('FORGE_REQUIRE_TOKEN is set, but no FORGE_TOKEN_HASHES were given; refusing to start unprotected');

  /** @param {string} value */
  const allowedHost = (value) => {
    const host = normal(value);
    if (exact.has(host)) return true;
    const parts = splitHost(host);
    return !!parts && anyPort.has(parts.name);
  };

  return {
    requireToken,
    /**
     * A refusal for a request whose Host or Origin is not one of the child's addresses, or null.
     * @param {import('node:http').IncomingMessage} req
     */
    checkOrigin(req) {
      const host = req.headers.host;
      if (!host || !allowedHost(host)) return { status: 403, message: 'Forbidden: Host not allowed' };
      const origin = req.headers.origin;
      if (origin === undefined) return null;
      let originHost = null;
      try {
        const url = new URL(origin);
        if (url.protocol === 'http:' || url.protocol === 'https:') originHost = url.host;
      } catch {
        originHost = null;
      }
      if (!originHost || !allowedHost(originHost)) return { status: 403, message: 'Forbidden: Origin not allowed' };
      return null;
    },
    /**
     * Whether the request carries a bearer token whose hash the forge passed in.
     * @param {import('node:http').IncomingMessage} req
     */
    hasValidToken(req) {
      const digest = presented(req);
      if (!digest || hashes.length === 0) return false;
      let ok = false;
      for (const hash of hashes) ok = (hash.length === digest.length && timingSafeEqual(hash, digest)) || ok;
      return ok;
    },
    /**
     * Whether the request is the forge's own (its internal token): its sessions are not the
     * clients', so they count neither toward children.max_sessions nor as connections.
     * @param {import('node:http').IncomingMessage} req
     */
    isForge(req) {
      const digest = presented(req);
      return !!digest && !!internal && internal.length === digest.length && timingSafeEqual(internal, digest);
    },
  };
}
