import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { ForgeConfig } from './forge-config.js';
import { builtinTemplatesDir } from './paths.js';

/** Docker's own networks: a child on them shares the host's stack, has none, or meets every other container. */
const DOCKER_NETWORKS = ['host', 'none', 'bridge'];

/** The forge's own repositories: `mcp-forge/…` or `mcp-forge-<word>/…`, on the local daemon (no registry host). */
const OWN_REPOSITORY = /^mcp-forge(?:-[a-z0-9]+)*\/[^:@]+$/;

/** The repository part of an image reference (no tag, no digest). */
export function repositoryOf(ref: string): string {
  const noDigest = ref.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** A folder by its real path when it exists (symlinks and `..` resolved), else by its absolute path. */
function realFolder(dir: string): string {
  const absolute = path.resolve(dir);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

/**
 * Rules for values that would hand the host away, which the schema cannot express: images the
 * forge builds and tags only in its own repositories (it must never re-tag someone else's image),
 * no Docker network of the host's, templates (code run in children) only from allowed folders.
 * Returns one readable problem per offending key.
 */
export function safetyProblems(c: ForgeConfig): string[] {
  const problems: string[] = [];
  for (const key of ['child_base', 'local_node_base', 'child_repository'] as const) {
    const ref = c.images[key];
    if (!OWN_REPOSITORY.test(repositoryOf(ref))) {
      problems.push(`images.${key} "${ref}" is outside the forge's own repositories (mcp-forge/… or mcp-forge-<name>/…): the forge tags this image and must not overwrite another one`);
    }
  }
  if (c.children.network !== null && DOCKER_NETWORKS.includes(c.children.network.toLowerCase())) {
    problems.push(`children.network "${c.children.network}" is refused: ${DOCKER_NETWORKS.join(', ')} are Docker's own networks; use null (a network of the forge's own) or one MCP-Forge created`);
  }
  if (c.templates.dir !== null) {
    const dir = realFolder(c.templates.dir);
    const allowed = [builtinTemplatesDir, ...c.templates.allowed_dirs].map(realFolder);
    if (!allowed.some((a) => dir === a || dir.startsWith(a.endsWith(path.sep) ? a : a + path.sep))) {
      problems.push(
        `templates.dir "${c.templates.dir}" is outside the allowed folders (${allowed.join(', ')}); ` +
          'add a folder that contains it to templates.allowed_dirs in the config file or FORGE_TEMPLATES_ALLOWED_DIRS',
      );
    }
  }
  return problems;
}
