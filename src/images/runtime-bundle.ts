import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hashTree } from './tree-hash.js';

/** Written beside the bundle: the hash of the sources it was made from, so unchanged sources are not bundled again. */
const STAMP = '.sources-sha256';
/** Native or loaded by units through `context.require`: stays in node_modules, outside the bundle. */
const EXTERNAL = ['better-sqlite3'];
/**
 * The bundle is ESM: packages written as CommonJS call `require` for Node's built-ins, which an
 * ES module lacks; this gives them one (resolving from the runtime's folder, as before).
 */
const BANNER = "import { createRequire as __forgeCreateRequire } from 'node:module'; const require = __forgeCreateRequire(import.meta.url);";

/** Where the runtime lives in every child image (images/child-base/Dockerfile). */
const RUNTIME_URL = 'file:///opt/mcp-forge/runtime/index.js';

/**
 * The child runtime in bundled forms, each one file with its source map: `child.js` (ESM), which
 * children load when they start without the snapshot, `source-main.js` (ESM), the entry of
 * bridged stdio servers (bring-your-own sources), and `snapshot-entry.cjs`, from
 * which the child base image builds its V8 startup snapshot (a snapshot is built from one CommonJS
 * script). Node then compiles one file, or none, instead of resolving and loading hundreds (the
 * SDK, zod, ajv): most of a child's start-up. Made on the host by `npm run images` (esbuild is a
 * dependency of the forge, not of the child); the forge image carries the result in its copy of
 * images/child-base.
 */
export async function bundleRuntime(runtimeDir: string, outDir: string): Promise<'bundled' | 'unchanged'> {
  const modules = ['child.js', 'source-main.js'];
  const entries = [...modules, 'snapshot-entry.js'];
  const hash = await sourcesHash(runtimeDir, entries);
  const stamp = await readFile(path.join(outDir, STAMP), 'utf8').catch(() => null);
  if (stamp === hash) return 'unchanged';
  const esbuild = await import('esbuild').catch(() => {
    throw new Error(`the child runtime bundle in ${outDir} is missing or out of date, and esbuild is not installed here: run \`npm ci && npm run images\` on the host first`);
  });
  const temp = `${outDir}.tmp-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  const common = {
    absWorkingDir: runtimeDir,
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    external: EXTERNAL,
    minify: true,
    keepNames: true,
    sourcemap: 'linked' as const,
    sourcesContent: false,
    legalComments: 'none' as const,
    logLevel: 'error' as const,
  };
  await esbuild.build({ ...common, entryPoints: modules.map((m) => path.join(runtimeDir, m)), outdir: temp, format: 'esm', banner: { js: BANNER } });
  await esbuild.build({
    ...common,
    entryPoints: [path.join(runtimeDir, 'snapshot-entry.js')],
    outfile: path.join(temp, 'snapshot-entry.cjs'),
    format: 'cjs',
    // Minified like the ESM bundle: the snapshot holds the source text too, and a smaller one is
    // smaller in every child (65.0 → 61.4 MiB RSS) and quicker to deserialize. keepNames keeps
    // function names in stack traces; snapshot-entry.cjs.map maps their lines back.
    // A CommonJS bundle has no import.meta; the runtime's folder is fixed in every child image.
    define: { 'import.meta.url': JSON.stringify(RUNTIME_URL) },
  });
  await writeFile(path.join(temp, STAMP), hash);
  await rm(outDir, { recursive: true, force: true });
  await rename(temp, outDir);
  return 'bundled';
}

/** Every file of the runtime that the bundle depends on: its own sources and the installed lock. */
function sourcesHash(runtimeDir: string, entries: string[]): Promise<string> {
  return hashTree(runtimeDir, `entries:${entries.join(',')}
external:${EXTERNAL.join(',')}
banner:${BANNER}
url:${RUNTIME_URL}
`);
}
