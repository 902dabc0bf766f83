/**
 * `npm run bench` (not part of `npm test`): runs every suite in test/bench/suites/*.ts in
 * one process, prints each suite's figures next to their baselines in a fixed layout, and
 * writes docs/benchmarks.json and docs/benchmarks.md. Each suite module exports
 * `title: string` and `run(): Promise<BenchRow[]>`. BENCH_ONLY=a,b runs only those suites
 * (by file name without .ts) and then writes no report.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/config/paths.js';
import { docker, removeLabelled } from '../support/docker-leaks.js';
import { removeTestImages } from '../support/forge-fixture.js';
import type { BenchRow, BenchSuite } from './support/bench-row.js';
import { formatSuite, toMarkdown, type BenchReport, type SuiteResult } from './support/report.js';

const suitesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'suites');
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);

const isNumberOrNull = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));
function checkRows(rows: unknown): BenchRow[] {
  if (!Array.isArray(rows)) throw new Error('run() did not return an array');
  for (const r of rows) {
    const ok = r && typeof r.figure === 'string' && typeof r.value === 'number' && Number.isFinite(r.value)
      && isNumberOrNull(r.baseline) && typeof r.unit === 'string' && isNumberOrNull(r.ratio)
      && (r.note === undefined || typeof r.note === 'string');
    if (!ok) throw new Error(`malformed row: ${JSON.stringify(r)}`);
  }
  return rows;
}

async function runSuite(file: string): Promise<SuiteResult> {
  const started = performance.now();
  let title = file;
  try {
    const suite = (await import(pathToFileURL(path.join(suitesDir, file)).href)) as Partial<BenchSuite>;
    if (typeof suite.title !== 'string' || typeof suite.run !== 'function') throw new Error('a suite exports `title` and `run`');
    title = suite.title;
    const rows = checkRows(await suite.run());
    return { file, title, seconds: (performance.now() - started) / 1000, rows };
  } catch (err) {
    const error = (err as Error).stack?.split('\n').slice(0, 3).join(' ') ?? String(err);
    return { file, title, seconds: (performance.now() - started) / 1000, rows: [], error };
  }
}

const files = (await readdir(suitesDir))
  .filter((f) => f.endsWith('.ts') && (!only || only.includes(f.replace(/\.ts$/, ''))))
  .sort();
const loadAtStart = Math.round(os.loadavg()[0]! * 100) / 100;
const suites: SuiteResult[] = [];
for (const file of files) {
  const result = await runSuite(file);
  suites.push(result);
  console.log(formatSuite(result) + '\n');
}

// Suites remove what they make; whatever still carries the run's label is a leak.
await removeTestImages().catch(() => undefined);
const found = await removeLabelled();
const leaked = [...found.containers, ...found.images, ...found.networks, ...found.volumes];
if (leaked.length) console.log(`[bench] left behind (now removed): ${leaked.join(', ')}`);

if (!only) {
  const report: BenchReport = {
    generated_at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      memory_gib: Math.round(os.totalmem() / 2 ** 30),
      node: process.versions.node,
      docker: ((await docker.version()) as { Version: string }).Version,
      platform: `${os.type()} ${os.release()}`,
      load_1m_at_start: loadAtStart,
    },
    suites,
    leaked,
  };
  const docs = path.join(packageRoot, 'docs');
  await mkdir(docs, { recursive: true });
  await writeFile(path.join(docs, 'benchmarks.json'), JSON.stringify(report, null, 2) + '\n');
  await writeFile(path.join(docs, 'benchmarks.md'), toMarkdown(report));
  console.log(`[bench] wrote docs/benchmarks.json and docs/benchmarks.md`);
}
const failed = suites.filter((s) => s.error).length;
console.log(`[bench] ${suites.length - failed} suites ok, ${failed} failed`);
process.exit(failed || leaked.length ? 1 : 0);
