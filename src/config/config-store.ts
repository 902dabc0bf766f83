import { isDeepStrictEqual } from 'node:util';
import { ForgeError } from '../errors/forge-error.js';
import type { Logger } from '../logging/logger.js';
import { AsyncLock } from '../registry/async-lock.js';
import { effectOf, FIXED_KEYS } from './config-keys.js';
import type { ForgeConfig } from './forge-config.js';
import { ConfigError, configSchema, pinnedBy, validateConfig } from './load-config.js';
import { redact } from '../security/redact.js';
import { digestSecrets } from '../security/secret-digest.js';
import { configKeySchema } from './config-schema.js';
import { readSavedSettings, saveSettings, type Settings } from './saved-settings.js';

/** What set_config answers (api-spec "Setting Configuration", plus how the change takes effect). */
export interface ConfigChange {
  status: 'success';
  message: string;
  section: string;
  key: string;
  value: unknown;
  previous_value: unknown;
  restart_required: boolean;
  /** The FORGE_* variable (or embedding overrides) that will win over the saved value at the next start. */
  overridden_at_start_by?: string;
}

/** Told about every live change after it was applied (the log level is applied this way). */
export type ChangeListener = (section: string, key: string, value: unknown) => void;

/**
 * The running forge's configuration: the one ForgeConfig object every component got through
 * its constructor. A change is checked against the schema as a whole candidate config, saved
 * in the data directory, and only then applied in place, so holders see it at their next
 * action. A failed check or save changes nothing, in memory or on disk.
 */
export class ConfigStore {
  private readonly lock = new AsyncLock();
  /** Restart-only changes made since start-up: "section.key" → value. */
  private readonly pending = new Map<string, unknown>();

  private constructor(
    private readonly config: ForgeConfig,
    private saved: Settings,
    private readonly onChange: ChangeListener,
    private readonly log: Logger,
    private readonly verify: (candidate: ForgeConfig) => Promise<void>,
  ) {}

  /** `verify` checks what the schema cannot (Docker's state, e.g. who made a network); it throws ConfigError. */
  static open(config: ForgeConfig, onChange: ChangeListener, log: Logger, verify: (candidate: ForgeConfig) => Promise<void> = async () => undefined): ConfigStore {
    return new ConfigStore(config, readSavedSettings(config.storage.data_dir), onChange, log, verify);
  }

  /** The running configuration (or one section, or one key) with secrets redacted, and restart-only changes. */
  get(section?: string, key?: string): { config: Record<string, unknown>; pending_restart: Settings } {
    if (key !== undefined && section === undefined) throw ForgeError.invalid('"key" needs "section"');
    const inScope = (keyPath: string) => {
      const [s, k] = keyPath.split('.');
      return (section === undefined || s === section) && (key === undefined || k === key);
    };
    const pending: Settings = {};
    for (const [keyPath, value] of this.pending) {
      const [s, k] = keyPath.split('.') as [string, string];
      if (inScope(keyPath)) (pending[s] ??= {})[k] = value;
    }
    const all = this.config as unknown as Settings;
    let config: Record<string, unknown> = all;
    if (section !== undefined) {
      this.check(section, key);
      config = { [section]: key === undefined ? all[section] : { [key]: all[section]![key] } };
    }
    const shown = <T>(v: T) => redact(v, { schema: configSchema, bound: false });
    return { config: shown(structuredClone(config)), pending_restart: shown(pending) };
  }

  set(section: string, key: string, value: unknown): Promise<ConfigChange> {
    return this.lock.run(() => this.apply(section, key, value));
  }

  private async apply(section: string, key: string, given: unknown): Promise<ConfigChange> {
    this.check(section, key);
    const keyPath = `${section}.${key}`;
    const schema = configKeySchema(section, key);
    const shown = (v: unknown) => redact(v, { schema, bound: false });
    const effect = effectOf(keyPath);
    if (effect === 'fixed') throw ForgeError.invalid(`${keyPath} cannot be changed at run time: ${FIXED_KEYS.get(keyPath)}`);
    const running = (this.config as unknown as Settings)[section]![key];
    const previous = this.pending.has(keyPath) ? this.pending.get(keyPath) : running;

    // The forge as it runs after the change, and as it would start next time: both must be valid.
    const now = structuredClone(this.config) as unknown as Settings;
    if (effect === 'live') now[section]![key] = given;
    const next = structuredClone(now);
    for (const [p, v] of [...this.pending, [keyPath, given] as const]) next[p.split('.')[0]!]![p.split('.')[1]!] = v;
    try {
      validateConfig(now);
      await this.verify(validateConfig(next));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      throw ForgeError.invalid(`cannot set ${keyPath}: ${err.message.replace(/^invalid configuration: /, '')}`);
    }
    // Checked as given (a token's length), kept as a digest: in memory, on disk, in backups.
    const value = digestSecrets(given, schema);

    const pinned = pinnedBy(this.config, keyPath);
    const unchanged = isDeepStrictEqual(previous, value) && isDeepStrictEqual(this.saved[section]?.[key], value);
    if (!unchanged) {
      const saved = { ...this.saved, [section]: { ...this.saved[section], [key]: structuredClone(value) } };
      await saveSettings(this.config.storage.data_dir, saved);
      this.saved = saved;
      if (effect === 'live') {
        (this.config as unknown as Settings)[section]![key] = structuredClone(value);
        this.onChange(section, key, value);
      } else if (isDeepStrictEqual(running, value)) {
        this.pending.delete(keyPath);
      } else {
        this.pending.set(keyPath, structuredClone(value));
      }
      this.log.info({ key: keyPath, value: shown(value), effect }, 'configuration changed');
    }
    const restartRequired = effect === 'restart' && this.pending.has(keyPath);
    const what = unchanged ? 'Configuration unchanged (already set)' : 'Configuration updated successfully';
    const when = restartRequired ? '; restart the forge to apply it' : effect === 'live' && !unchanged ? '; in effect now' : '';
    const source = pinned === 'overrides' ? "the embedding program's value" : `the environment's ${pinned}`;
    const note = pinned ? `; note: at the next start ${source} takes precedence over the saved one` : '';
    return {
      status: 'success',
      message: `${what}${when}${note}`,
      section,
      key,
      value: shown(value),
      previous_value: shown(previous),
      restart_required: restartRequired,
      ...(pinned ? { overridden_at_start_by: pinned } : {}),
    };
  }

  /** `invalid_request` naming the known sections or keys when `section` (or `key`) is not one. */
  private check(section: string, key?: string): void {
    const sections = configSchema.properties as Record<string, { properties: Record<string, unknown> }>;
    if (!Object.hasOwn(sections, section)) {
      throw ForgeError.invalid(`unknown config section "${section}"; sections: ${Object.keys(sections).join(', ')}`);
    }
    const keys = Object.keys(sections[section]!.properties);
    if (key !== undefined && !keys.includes(key)) {
      throw ForgeError.invalid(`unknown key "${key}" in config section "${section}"; keys: ${keys.join(', ')}`);
    }
  }
}
