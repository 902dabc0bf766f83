import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import type { ForgeConfig } from '../config/forge-config.js';
import { ForgeError } from '../errors/forge-error.js';
import type { Logger } from '../logging/logger.js';
import { npmCommand } from './npm-location.js';
import { cacheKeyFor, type NpmSpec } from './npm-spec.js';

/** A package installed in the cache: its folder (holding node_modules) and whether this call installed it. */
export interface CachedPackage {
  key: string;
  dir: string;
  installed: boolean;
}

/**
 * npm packages installed on the host, one folder per `<name>@<version>-<lockfile hash>` under
 * `<data_dir>/npm-cache`. A package is installed into a temp folder and renamed into place only
 * when complete, so the cache never holds a half-made folder; a version once cached is never
 * installed again. Install scripts are off unless `sources.npm_allow_scripts`.
 */
export class NpmCache {
  readonly root: string;
  private readonly inflight = new Map<string, Promise<CachedPackage>>();

  constructor(
    private readonly config: ForgeConfig,
    private readonly log: Logger,
  ) {
    this.root = path.join(config.storage.data_dir, 'npm-cache');
  }

  /** Removes temp folders an install left when the forge was killed mid-install (call at start-up). */
  async sweep(): Promise<void> {
    const entries = await readdir(this.root).catch(() => [] as string[]);
    for (const entry of entries.filter((e) => e.startsWith('.tmp-'))) await rm(path.join(this.root, entry), { recursive: true, force: true });
  }

  /** The one version a range resolves to (the highest match), from the registry. */
  async resolve(spec: NpmSpec): Promise<string> {
    if (semver.valid(spec.range) && (await this.find(spec.name, semver.clean(spec.range)!))) return semver.clean(spec.range)!;
    const out = await this.npm(['view', `${spec.name}@${spec.range}`, 'version', '--json'], this.root);
    if (out.code !== 0) {
      const summary = npmError(out.stdout) ?? (out.stderr.trim().split('\n').slice(-3).join('\n') || `npm exited with ${out.code}`);
      if (/No match found for version/i.test(summary)) throw ForgeError.invalid(`source.npm: no version of ${spec.name} matches "${spec.range}" (${summary})`);
      if (/E404|Not Found/i.test(summary)) throw ForgeError.invalid(`source.npm: package ${spec.name} does not exist in the registry (${summary})`);
      throw new ForgeError('server_error', `source.npm: could not resolve ${spec.name}@${spec.range}: ${summary}`);
    }
    const parsed: unknown = out.stdout.trim() ? JSON.parse(out.stdout) : null;
    const versions = (Array.isArray(parsed) ? parsed : parsed ? [parsed] : []).filter((v): v is string => typeof v === 'string');
    const best = semver.maxSatisfying(versions, spec.range) ?? versions.at(-1);
    if (!best) throw ForgeError.invalid(`source.npm: no version of ${spec.name} matches "${spec.range}"`);
    return best;
  }

  /** The cached install of `name@version`, installing it first when missing. */
  ensure(name: string, version: string, onProgress?: (line: string) => void): Promise<CachedPackage> {
    const id = `${name}@${version}`;
    let job = this.inflight.get(id);
    if (!job) {
      job = this.install(name, version, onProgress).finally(() => this.inflight.delete(id));
      this.inflight.set(id, job);
    }
    return job;
  }

  /** Folder of a cached package, by its key. */
  dirOf(key: string): string {
    return path.join(this.root, key);
  }

  private async find(name: string, version: string): Promise<string | null> {
    const prefix = cacheKeyFor(name, version, '');
    const entries = await readdir(this.root).catch(() => [] as string[]);
    return entries.find((e) => e.startsWith(prefix) && !e.startsWith('.')) ?? null;
  }

  private async install(name: string, version: string, onProgress?: (line: string) => void): Promise<CachedPackage> {
    const found = await this.find(name, version);
    if (found) {
      onProgress?.(`using cached ${name}@${version}`);
      return { key: found, dir: this.dirOf(found), installed: false };
    }
    await mkdir(this.root, { recursive: true });
    const temp = path.join(this.root, `.tmp-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(temp);
      await writeFile(path.join(temp, 'package.json'), JSON.stringify({ name: 'mcp-forge-source', private: true, dependencies: { [name]: version } }, null, 2));
      onProgress?.(`installing ${name}@${version}`);
      const started = Date.now();
      const args = ['install', '--omit=dev', '--no-audit', '--no-fund', ...(this.config.sources.npm_allow_scripts ? [] : ['--ignore-scripts'])];
      const out = await this.npm(args, temp, onProgress);
      if (out.code !== 0) {
        const output = `${out.stdout}\n${out.stderr}`.trim().split('\n').filter((l) => !/complete log of this run/.test(l)).slice(-15).join('\n');
        throw ForgeError.invalid(`source.npm: npm install of ${name}@${version} failed (exit ${out.code}):\n${output}`);
      }
      const lock = await readFile(path.join(temp, 'package-lock.json'), 'utf8');
      const key = cacheKeyFor(name, version, createHash('sha256').update(lock).digest('hex').slice(0, 12));
      await rename(temp, this.dirOf(key));
      this.log.info({ package: name, version, key, ms: Date.now() - started }, 'installed npm package');
      onProgress?.(`installed ${name}@${version} in ${Date.now() - started} ms`);
      return { key, dir: this.dirOf(key), installed: true };
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  /** Runs npm (the one beside this Node, else npm on PATH) with the configured registry and CA file; never through a shell. */
  private async npm(args: string[], cwd: string, onLine?: (line: string) => void): Promise<{ code: number; stdout: string; stderr: string }> {
    await mkdir(cwd, { recursive: true });
    const { npm_registry: registry, npm_ca_file: ca, npm_install_timeout_s: timeoutS } = this.config.sources;
    const full = [...args, ...(registry ? ['--registry', registry] : []), ...(ca ? ['--cafile', ca] : [])];
    const command = npmCommand(full);
    return new Promise((resolve, reject) => {
      const child = spawn(command.file, command.args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutS * 1000, env: { ...process.env, npm_config_update_notifier: 'false' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d;
        for (const line of String(d).split('\n')) if (line.trim() && onLine) onLine(line.trim());
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('error', (err) => reject(new ForgeError('server_error', `source.npm: could not run npm: ${err.message}`)));
      child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 124 : 1), stdout, stderr: signal ? `${stderr}\nnpm timed out after ${timeoutS} s` : stderr }));
    });
  }
}

/** The summary of npm's `--json` error object, when stdout holds one. */
function npmError(stdout: string): string | null {
  try {
    const parsed = JSON.parse(stdout) as { error?: { code?: string; summary?: string } };
    return parsed.error ? `${parsed.error.code ?? 'error'}: ${parsed.error.summary ?? ''}`.trim() : null;
  } catch {
    return null;
  }
}
