// Builds the dashboard (npm run build): src/dashboard/main.tsx bundled by esbuild into
// dist/dashboard/assets/ with content-hashed names, and index.html naming them. Offline: every
// dependency is bundled, nothing is fetched at run time.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../dist/dashboard');
await rm(out, { recursive: true, force: true });
await mkdir(path.join(out, 'assets'), { recursive: true });

const result = await build({
  entryPoints: [path.join(here, 'main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: path.join(out, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((f) => path.basename(f));
const js = outputs.find((f) => f.endsWith('.js'));
const css = outputs.find((f) => f.endsWith('.css'));
if (!js || !css) throw new Error(`dashboard build produced ${outputs.join(', ')}`);
const page = (await readFile(path.join(here, 'index.html'), 'utf8')).replace('%CSS%', `/assets/${css}`).replace('%JS%', `/assets/${js}`);
await writeFile(path.join(out, 'index.html'), page);
console.log(`dashboard: dist/dashboard/index.html, assets/${js}, assets/${css}`);
