import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { configSchema } from './config-schema.js';
import { configDir } from './paths.js';
import { safetyProblems } from './safety-rules.js';
import { applyEnvOverrides, ENV_OVERRIDES } from './env-overrides.js';
import type { ForgeConfig } from './forge-config.js';
import { RESERVED_TOKEN_NAMES } from '../security/caller.js';
import { readSavedSettings, settingsFile, SettingsFileError } from './saved-settings.js';

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

export { configSchema };
const validate = new Ajv({ allErrors: true, keywords: ['x-digest'] }).compile<ForgeConfig>(configSchema);

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
  const unsafe = safetyProblems(c);
  if (unsafe.length > 0) throw new ConfigError(`invalid configuration: ${unsafe.join('; ')}`);
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
  const reserved = c.auth.tokens.find((t) => RESERVED_TOKEN_NAMES.includes(t.name.toLowerCase()));
  if (reserved) throw new ConfigError(`invalid configuration: auth.tokens name "${reserved.name}" is reserved (${RESERVED_TOKEN_NAMES.join(', ')}); choose another name`);
  if (!c.children.publish_ports && c.children.connect_via !== 'network') {
    throw new ConfigError('invalid configuration: children.publish_ports false needs children.connect_via "network" (the forge reaches unpublished children by name on children.network)');
  }
  // A child published beyond loopback is reachable by other hosts: it never serves without a token.
  if (!isLoopback(c.children.host_ip)) c.children.require_token = true;
  if (c.runtime.kind === 'swarm') swarmRules(c);
  const names = c.auth.tokens.map((t) => t.name);
  if (new Set(names).size !== names.length) throw new ConfigError('invalid configuration: auth.tokens names must be unique');
  return c;
}

/**
 * Swarm publishes a task's port on every address of its node (there is no host IP to bind): a
 * child is always reachable from the network, so it always requires a token. children.host_ip
 * can only be loopback (the default: the address of a task on the forge's own node when the engine
 * names none) or a wildcard; a specific address cannot be honoured and is refused.
 */
function swarmRules(c: ForgeConfig): void {
  const ip = c.children.host_ip;
  if (!isLoopback(ip) && ip !== '0.0.0.0' && ip !== '::') {
    throw new ConfigError(
      `invalid configuration: children.host_ip "${ip}" cannot be honoured with runtime.kind "swarm" (a task's port is published on every address of its node); leave it at 127.0.0.1 or use 0.0.0.0`,
    );
  }
  c.children.require_token = true;
}

/** Loopback addresses and names: the only binds allowed without a token. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}


/** Which layer above the saved settings set a key ("section.key" → FORGE_* variable or "overrides"). */
const pinnedKeys = new WeakMap<ForgeConfig, ReadonlyMap<string, string>>();

/** The FORGE_* variable (or "overrides") that wins over a value saved with set_config, if any. */
export function pinnedBy(config: ForgeConfig, keyPath: string): string | undefined {
  return pinnedKeys.get(config)?.get(keyPath);
}

/**
 * Layers, later wins: default.json, the file named by FORGE_CONFIG, the settings saved with
 * set_config (`<data_dir>/config.json`), FORGE_* variables, then `overrides`; validated once.
 */
export function loadConfig(options: LoadConfigOptions = {}): ForgeConfig {
  const env = options.env ?? {};
  const defaults = readJson(path.join(configDir, 'default.json'));
  const file = env.FORGE_CONFIG ? readJson(path.resolve(env.FORGE_CONFIG)) : {};
  const fromEnv: Record<string, any> = {};
  const pinned = new Map<string, string>();
  for (const name of applyEnvOverrides(fromEnv, env)) pinned.set(ENV_OVERRIDES.find(([n]) => n === name)![1], name);
  const overrides = (options.overrides ?? {}) as Record<string, any>;
  for (const [section, values] of Object.entries(overrides)) {
    for (const key of Object.keys(values ?? {})) pinned.set(`${section}.${key}`, 'overrides');
  }
  const dataDir = [defaults, file, fromEnv, overrides].reduce(mergeSections).storage?.data_dir;
  let saved: Record<string, any> = {};
  try {
    if (typeof dataDir === 'string' && dataDir) saved = readSavedSettings(dataDir);
  } catch (err) {
    if (err instanceof SettingsFileError) throw new ConfigError(err.message);
    throw err;
  }
  const merged = [defaults, file, saved, fromEnv, overrides].reduce(mergeSections);
  let config: ForgeConfig;
  try {
    config = validateConfig(merged);
  } catch (err) {
    if (Object.keys(saved).length === 0) throw err;
    throw new ConfigError(`${(err as Error).message} (settings saved at run time in ${settingsFile(dataDir)} included)`);
  }
  pinnedKeys.set(config, pinned);
  return config;
}
