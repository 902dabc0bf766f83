/** One figure of a benchmark suite, next to its baseline measured in the same run. */
export interface BenchRow {
  figure: string;
  value: number;
  /** The same thing done without the forge (raw Docker, bare Node, ...); null when there is none. */
  baseline: number | null;
  unit: string;
  /** value / baseline; null without a baseline. */
  ratio: number | null;
  note?: string;
}

/** The contract every module in test/bench/suites/ meets. */
export interface BenchSuite {
  title: string;
  run(): Promise<BenchRow[]>;
}

const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x * 10) / 10 : Math.round(x * 100) / 100);

/** A row with its ratio computed and figures rounded the same way every run. */
export function row(figure: string, value: number, baseline: number | null, unit: string, note?: string): BenchRow {
  const ratio = baseline ? Math.round((value / baseline) * 100) / 100 : null;
  return { figure, value: round(value), baseline: baseline === null ? null : round(baseline), unit, ratio, ...(note ? { note } : {}) };
}
