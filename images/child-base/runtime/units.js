// @ts-check
/**
 * Per-unit set-up of a child. Each unit gets a context: the server's identity, its own
 * settings, data folder and credentials from FORGE_UNIT_SETTINGS (data written by the
 * forge, never code), and `require` for the runtime's dependencies (better-sqlite3, ajv).
 * A unit's optional `hooks` export may have init(context), close(context) and
 * authorize(request, context), which answers null to let a request through or a refusal.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const runtimeRequire = createRequire(import.meta.url);
/** Where the server's data volume is mounted (templates/child/Dockerfile.njk creates it). */
const DATA_ROOT = '/data';

/**
 * @typedef {{ status: number, headers?: Record<string, string>, message: string }} Refusal
 * @param {{ capabilities: Array<{ name: string, needs?: { volume?: boolean, credentials?: string } }> }} manifest
 * @param {Record<string, any>} modules
 * @param {object} identity
 * @param {string | undefined} rawSettings FORGE_UNIT_SETTINGS: JSON, by unit name, of { settings, credentials }
 */
export async function startUnits(manifest, modules, identity, rawSettings) {
  const given = rawSettings ? JSON.parse(rawSettings) : {};
  /** @type {Record<string, any>} */
  const contexts = {};
  /** @type {Array<(req: import('node:http').IncomingMessage) => Promise<Refusal | null> | Refusal | null>} */
  const guards = [];
  /** @type {Array<() => unknown>} */
  const closers = [];
  for (const unit of manifest.capabilities) {
    const data = given[unit.name] ?? {};
    const hooks = modules[unit.name]?.hooks ?? {};
    const context = {
      identity,
      manifest,
      unit: unit.name,
      settings: data.settings ?? null,
      credentials: data.credentials ?? null,
      dataDir: unit.needs?.volume ? path.join(DATA_ROOT, unit.name) : null,
      require: runtimeRequire,
    };
    if (unit.needs?.credentials) {
      // Fail closed: a guarded program never serves without its guard.
      if (!context.credentials) throw new Error(`unit ${unit.name} needs credentials, but none were given; refusing to start unprotected`);
      if (typeof hooks.authorize !== 'function') throw new Error(`unit ${unit.name} needs credentials but exports no hooks.authorize`);
    }
    if (context.dataDir) mkdirSync(context.dataDir, { recursive: true });
    if (typeof hooks.init === 'function') await hooks.init(context);
    if (typeof hooks.authorize === 'function') guards.push((req) => hooks.authorize(req, context));
    if (typeof hooks.close === 'function') closers.push(() => hooks.close(context));
    contexts[unit.name] = context;
  }
  return {
    contexts,
    /** Whether some unit guards the MCP paths with its own credentials (auth). */
    guarded: guards.length > 0,
    /** The first refusal of any unit's guard, or null. @param {import('node:http').IncomingMessage} req */
    async authorize(req) {
      for (const guard of guards) {
        const refusal = await guard(req);
        if (refusal) return refusal;
      }
      return null;
    },
    close() {
      for (const close of closers) {
        try {
          close();
        } catch {
          // closing is best effort on the way out
        }
      }
    },
  };
}
