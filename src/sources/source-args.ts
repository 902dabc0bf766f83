import { ForgeError } from '../errors/forge-error.js';
import type { ServerSource, SourceFolder } from '../registry/server-record.js';

/** create_server's `source` after schema validation: an npm package or a local image to run. */
export interface SourceArgs {
  npm?: string;
  image?: string;
  /** npm: which of the package's bins to run, when it has several. */
  bin?: string;
  transport?: 'stdio' | 'http';
  port?: number;
  path?: string;
  args?: string[];
  env?: Record<string, string>;
  /** Host folders mounted read-only (under children.allowed_host_roots), each at its target in the container. */
  folders?: SourceFolder[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Docker's image reference grammar, loosely: [registry[:port]/]path[:tag][@digest]. */
const IMAGE_REF = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
/** Where a folder may not be mounted in the container: the system's, the runtime's, the package's and the tmpfs. */
const RESERVED_TARGETS = ['/app', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/opt/mcp-forge', '/proc', '/root', '/run', '/sbin', '/sys', '/tmp', '/usr', '/var'];
const TARGET = /^(\/[A-Za-z0-9._-]+)+$/;
/** Names the forge itself sets in a child's environment. */
const RESERVED = /^(FORGE_|PORT$|NODE_ENV$|PATH$)/;

function checkNames(where: string, names: string[]) {
  for (const name of names) {
    if (!ENV_NAME.test(name)) throw ForgeError.invalid(`${where}: "${name}" is not an environment variable name (letters, digits, _; not starting with a digit)`);
    if (RESERVED.test(name)) throw ForgeError.invalid(`${where}: "${name}" is reserved for the forge`);
  }
}

/**
 * Checks the combinations a JSON Schema does not express: exactly one of npm and image, the
 * image-only fields, env and secret names, and that a source replaces forged units.
 */
export function checkSource(source: SourceArgs | undefined, secrets: Record<string, string> | undefined, forged: { capabilities?: unknown; handlers?: unknown; options?: unknown }): void {
  if (!source) {
    if (secrets && Object.keys(secrets).length) throw ForgeError.invalid('secrets are for bring-your-own servers: give them with a source');
    return;
  }
  for (const key of ['capabilities', 'handlers', 'options'] as const) {
    if (forged[key] !== undefined) throw ForgeError.invalid(`${key} cannot be combined with source: a source server runs its own program`);
  }
  if ((source.npm === undefined) === (source.image === undefined)) throw ForgeError.invalid('source needs exactly one of "npm" (a package) and "image" (a local image)');
  if (source.npm !== undefined) {
    for (const key of ['transport', 'port', 'path'] as const) {
      if (source[key] !== undefined) throw ForgeError.invalid(`source.${key} is for images; an npm package always speaks stdio`);
    }
  } else {
    if (!IMAGE_REF.test(source.image!)) throw ForgeError.invalid(`source.image: "${source.image}" is not a Docker image reference`);
    if (source.bin !== undefined) throw ForgeError.invalid('source.bin is for npm packages');
    const http = source.transport === 'http';
    if (http && source.port === undefined) throw ForgeError.invalid('source.port is required with transport "http": the port the image serves MCP on');
    if (!http && (source.port !== undefined || source.path !== undefined)) throw ForgeError.invalid('source.port and source.path are for transport "http"');
  }
  checkFolderTargets(source.folders ?? []);
  const envNames = Object.keys(source.env ?? {});
  checkNames('source.env', envNames);
  checkNames('secrets', Object.keys(secrets ?? {}));
  const both = envNames.filter((n) => secrets && n in secrets);
  if (both.length) throw ForgeError.invalid(`${both.join(', ')} given both in source.env and in secrets`);
}

function checkFolderTargets(folders: SourceFolder[]) {
  const seen = new Set<string>();
  for (const [i, { target }] of folders.entries()) {
    const where = `source.folders[${i}].target`;
    if (!TARGET.test(target) || target.split('/').some((part) => part === '.' || part === '..')) {
      throw ForgeError.invalid(`${where}: "${target}" must be an absolute path in the container, e.g. /srv/files (letters, digits, . _ -; no . or .. parts)`);
    }
    const clash = RESERVED_TARGETS.find((r) => target === r || target.startsWith(r + '/'));
    if (clash) throw ForgeError.invalid(`${where}: "${target}" is inside ${clash}, which the container needs for itself; choose e.g. /srv/<name>`);
    for (const other of seen) {
      if (target === other || target.startsWith(other + '/') || other.startsWith(target + '/')) throw ForgeError.invalid(`${where}: "${target}" overlaps another folder's target ${other}`);
    }
    seen.add(target);
  }
}

/** The arguments that re-create a stored source as it is (the resolved version, the same image). */
export function sourceArgsOf(source: ServerSource): SourceArgs {
  const common = { args: [...source.args], env: { ...source.env }, ...(source.folders?.length ? { folders: source.folders.map((f) => ({ ...f })) } : {}) };
  if (source.type === 'npm') return { npm: `${source.package}@${source.version}`, bin: source.bin_name, ...common };
  return { image: source.image, transport: source.transport, ...(source.transport === 'http' ? { port: source.port!, path: source.path } : {}), ...common };
}
