import type { ForgeConfig } from '../config/forge-config.js';
import type { CapabilityCatalog } from '../render/capability-catalog.js';
import type { ServerRecord, SourceFolder } from '../registry/server-record.js';
import { packageRoot } from '../config/paths.js';
import { backupsDir } from '../config/saved-settings.js';
import { ForgeError } from '../errors/forge-error.js';
import type { Runtime, Mount } from '../runtime/runtime.js';
import type { CreateRequest } from './create-request.js';
import { checkHostFolder, realPaths, type HostFolderRules } from './host-folder.js';
import { forgeInContainer, toHostPath } from './host-paths.js';

/** Where a server's data volume is mounted; units that need it work in /data/<unit name>. */
export const DATA_MOUNT = '/data';

export const volumeNameFor = (serverId: string) => `mcp-forge-data-${serverId}`;

type UnitChoice = Pick<ServerRecord, 'capabilities' | 'handlers' | 'options'>;

/** The units a server's program contains: its capabilities and handlers, and the options switched on. */
export function programUnits(server: UnitChoice, catalog: CapabilityCatalog): string[] {
  const options = Object.keys(server.options).filter((key) => catalog.find(key)?.kind === 'option');
  return [...new Set([...server.capabilities, ...server.handlers, ...options])].sort();
}

/**
 * Whether a server's container needs a route out: a bring-your-own source is arbitrary code and
 * always does; a forged program does when one of its units declares `needs.network`.
 */
export function needsEgress(server: UnitChoice & Pick<ServerRecord, 'source'>, catalog: CapabilityCatalog): boolean {
  if (server.source) return true;
  return programUnits(server, catalog).some((name) => !!catalog.get(name).needs?.network);
}

/** A create request after the host-side checks: options and source folders with mounted folders resolved, and what to provide. */
export interface PreparedUnits {
  options: Record<string, unknown>;
  /** A source's folders, their host side resolved to the real path (empty for forged servers). */
  folders: SourceFolder[];
  volume: boolean;
  credentials: boolean;
}

/** Checks what the units need from the host (mounted folders) before anything is stored. */
export async function prepareUnits(request: CreateRequest, catalog: CapabilityCatalog, config: ForgeConfig, runtime: Runtime): Promise<PreparedUnits> {
  const options = structuredClone(request.options);
  let volume = false;
  let credentials = false;
  for (const name of programUnits(request, catalog)) {
    const needs = catalog.get(name).needs ?? {};
    volume ||= !!needs.volume;
    credentials ||= !!needs.credentials;
    if (!needs.mount) continue;
    const settings = options[name] as Record<string, string>;
    settings[needs.mount.setting] = await checkHostFolder(settings[needs.mount.setting]!, `options.${name}.${needs.mount.setting}`, await folderRules(config, runtime));
  }
  const folders: SourceFolder[] = [];
  for (const [i, folder] of (request.source?.folders ?? []).entries()) {
    folders.push({ host: await checkHostFolder(folder.host, `source.folders[${i}].host`, await folderRules(config, runtime)), target: folder.target });
  }
  return { options, folders, volume, credentials };
}

/**
 * The check of creation again, before every container is (re)created or started: the allow-list
 * may have shrunk, or a folder been replaced by a link since. Returns the host path Docker
 * binds for each mounted folder.
 */
export async function checkRecordFolders(record: ServerRecord, catalog: CapabilityCatalog, config: ForgeConfig, runtime: Runtime): Promise<Record<string, string>> {
  const hostPaths: Record<string, string> = {};
  for (const name of programUnits(record, catalog)) {
    const needs = catalog.get(name).needs ?? {};
    if (!needs.mount) continue;
    const stored = (record.options[name] as Record<string, string>)[needs.mount.setting]!;
    const rules = await folderRules(config, runtime);
    const real = await checkHostFolder(stored, `server ${record.name}'s folder (options.${name}.${needs.mount.setting})`, rules);
    if (real !== stored) throw ForgeError.invalid(`server ${record.name}'s folder ${stored} now resolves to ${real} (a symbolic link was put in its place); refused`);
    hostPaths[stored] = toHostPath(real, rules.hostPathMap, rules.inContainer)!;
  }
  for (const [i, { host: stored }] of (record.source?.folders ?? []).entries()) {
    const rules = await folderRules(config, runtime);
    const real = await checkHostFolder(stored, `server ${record.name}'s folder (source.folders[${i}].host)`, rules);
    if (real !== stored) throw ForgeError.invalid(`server ${record.name}'s folder ${stored} now resolves to ${real} (a symbolic link was put in its place); refused`);
    hostPaths[stored] = toHostPath(real, rules.hostPathMap, rules.inContainer)!;
  }
  return hostPaths;
}

async function folderRules(config: ForgeConfig, runtime: Runtime): Promise<HostFolderRules> {
  const own = await realPaths([config.docker.socket_path, config.storage.data_dir, backupsDir(config.storage.data_dir), packageRoot]);
  const c = config.children;
  return { roots: c.allowed_host_roots, own, hostPathMap: c.host_path_map, inContainer: await forgeInContainer(runtime), uid: c.uid };
}

/**
 * What a server's units get at run time, as data: FORGE_UNIT_SETTINGS (each unit's settings,
 * with mounted folders replaced by their place in the container, and its credential hash)
 * and the mounts (read-only host folders of units and of a source, bound at their host path from `hostPaths`, the data volume).
 */
export function unitRuntime(record: ServerRecord, catalog: CapabilityCatalog, hostPaths: Record<string, string> = {}): { env: Record<string, string>; mounts: Mount[] } {
  const given: Record<string, { settings: unknown; credentials?: { username: string; hash: string } }> = {};
  const mounts: Mount[] = [];
  for (const name of programUnits(record, catalog)) {
    const needs = catalog.get(name).needs ?? {};
    let settings = record.options[name] ?? null;
    if (needs.mount) {
      const source = (settings as Record<string, string>)[needs.mount.setting]!;
      mounts.push({ type: 'bind', source: hostPaths[source] ?? source, target: needs.mount.target, readOnly: true });
      settings = { ...(settings as object), [needs.mount.setting]: needs.mount.target };
    }
    given[name] = { settings };
    if (needs.credentials && record.credentials) {
      given[name].credentials = { username: record.credentials.username, hash: record.credentials.hash };
    }
  }
  for (const folder of record.source?.folders ?? []) {
    mounts.push({ type: 'bind', source: hostPaths[folder.host] ?? folder.host, target: folder.target, readOnly: true });
  }
  if (record.volume) mounts.push({ type: 'volume', source: record.volume, target: DATA_MOUNT });
  return { env: { FORGE_UNIT_SETTINGS: JSON.stringify(given) }, mounts };
}
