import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { configDir } from './paths.js';
import { applyEnvOverrides } from './env-overrides.js';
import type { ForgeConfig } from './forge-config.js';

/** Raised when the configuration cannot be used; the message names every offending key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadConfigOptions {
  /** Environment to read FORGE_* overrides from (the process's by default, only in the CLI entry). */
  env?: NodeJS.ProcessEnv;
  /** Values applied last, over file and environment (tests, embedding). */
  overrides?: DeepPartial<ForgeConfig>;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

const readJson = (file: string): Record<string, any> => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
};

export const configSchema = readJson(path.join(configDir, 'schema.json'));
const validate = new Ajv({ allErrors: true }).compile<ForgeConfig>(configSchema);

/** Merges sections one level deep: the config is sections of scalar (or list) keys. */
export function mergeSections(base: Record<string, any>, over: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [section, values] of Object.entries(over ?? {})) {
    out[section] = values && typeof values === 'object' && !Array.isArray(values) ? { ...(base[section] ?? {}), ...values } : values;
  }
  return out;
}

/** Checks a whole config object against the schema and the rules a schema cannot express. */
export function validateConfig(candidate: unknown): ForgeConfig {
  if (!validate(candidate)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const c = candidate;
  if (c.children.port_range_start > c.children.port_range_end) {
    throw new ConfigError('invalid configuration: children.port_range_start is above children.port_range_end');
  }
  if (c.children.connect_via === 'network' && !c.children.network) {
    throw new ConfigError('invalid configuration: children.connect_via "network" needs children.network');
  }
  if (!isLoopback(c.server.host) && !c.auth.admin_token && c.auth.tokens.length === 0) {
    throw new ConfigError(
      `refusing to listen on ${c.server.host} without authentication: set FORGE_AUTH_TOKEN (or auth.tokens), or bind to 127.0.0.1`,
    );
  }
  const names = c.auth.tokens.map((t) => t.name);
  if (new Set(names).size !== names.length) throw new ConfigError('invalid configuration: auth.tokens names must be unique');
  return c;
}

/** Loopback addresses and names: the only binds allowed without a token. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** default.json, then the file named by FORGE_CONFIG, then FORGE_* variables, then `overrides`; validated once. */
export function loadConfig(options: LoadConfigOptions = {}): ForgeConfig {
  const env = options.env ?? {};
  let merged = readJson(path.join(configDir, 'default.json'));
  if (env.FORGE_CONFIG) merged = mergeSections(merged, readJson(path.resolve(env.FORGE_CONFIG)));
  applyEnvOverrides(merged, env);
  if (options.overrides) merged = mergeSections(merged, options.overrides as Record<string, any>);
  return validateConfig(merged);
}
