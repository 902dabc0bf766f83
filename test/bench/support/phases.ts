import { row, type BenchRow } from './bench-row.js';
import { median } from './stats.js';

/** Order in which create_server goes through its phases (PhaseTimer names). */
const ORDER = ['register', 'render', 'build', 'create', 'start', 'ready'];

/**
 * One row per create_server phase (median over the runs), each with its share of the
 * median total; the biggest phase is named in its note.
 */
export function phaseRows(runs: Array<Record<string, number>>, label: string): BenchRow[] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const medians = names.map((name) => median(runs.map((r) => r[name] ?? 0)));
  const total = medians.reduce((a, b) => a + b, 0);
  const biggest = medians.indexOf(Math.max(...medians));
  return names.map((name, i) =>
    row(`${label} phase ${name}, median`, medians[i]!, null, 'ms',
      `${Math.round((medians[i]! / total) * 100)}% of the phases${i === biggest ? '; biggest cost' : ''}`),
  );
}
