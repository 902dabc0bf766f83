import semver from 'semver';
import validateName from 'validate-npm-package-name';
import { ForgeError } from '../errors/forge-error.js';

/** A package reference as given: its name and the version or range asked for. */
export interface NpmSpec {
  name: string;
  range: string;
}

/**
 * Splits `<name>@<version or range>` and checks both by npm's own rules: the name as npm
 * accepts it for new packages, the version as an exact semver version or a semver range.
 * Dist-tags, URLs, git and file specs are refused: only registry versions are cached.
 */
export function parseNpmSpec(given: string): NpmSpec {
  const at = given.lastIndexOf('@');
  if (at <= 0) throw ForgeError.invalid(`source.npm must be "<package>@<version>", e.g. "@modelcontextprotocol/server-memory@2026.8.31"; got "${given}"`);
  const name = given.slice(0, at);
  const range = given.slice(at + 1).trim();
  const check = validateName(name);
  if (!check.validForNewPackages) {
    const problems = [...(check.errors ?? []), ...(check.warnings ?? [])].join('; ');
    throw ForgeError.invalid(`source.npm: "${name}" is not a valid npm package name: ${problems}`);
  }
  if (!range || (!semver.valid(range) && !semver.validRange(range))) {
    throw ForgeError.invalid(`source.npm: "${range}" is not a semver version or range (dist-tags such as "latest" are not accepted)`);
  }
  return { name, range };
}

/** The cache folder name of a resolved package: `/` of a scope becomes `+`. */
export function cacheKeyFor(name: string, version: string, lockHash: string): string {
  return `${name.replace('/', '+')}@${version}-${lockHash}`;
}
