import { row, type BenchRow } from '../support/bench-row.js';
import { benchForge, type BenchForge } from '../support/bench-forge.js';
import { phaseRows } from '../support/phases.js';
import { rawRunUntilMcp, removeContainers } from '../support/raw-docker.js';
import { median, timed } from '../support/stats.js';

export const title = '20 concurrent create_server vs 20 concurrent raw docker run';

const N = 20;
const ROUNDS = 2;

interface Round {
  totalMs: number;
  eachMs: number[];
  failures: string[];
}

/** N creates at once through one MCP session; counts failures and distinct ports, then deletes them. */
async function forgeRound(forge: BenchForge, round: number, ports: Set<number>[]): Promise<Round> {
  const eachMs: number[] = [];
  const { ms, result } = await timed(() =>
    Promise.allSettled(Array.from({ length: N }, (_, i) => timed(() => forge.create({ name: `bench-conc-${round}-${i}` })).then((r) => eachMs.push(r.ms)))),
  );
  ports.push(new Set(forge.forge.registry.list().map((s) => s.port)));
  await forge.deleteAll();
  return { totalMs: ms, eachMs, failures: result.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])) };
}

async function rawRound(image: string, round: number): Promise<Round> {
  const eachMs: number[] = [];
  const { ms, result } = await timed(() =>
    Promise.allSettled(Array.from({ length: N }, (_, i) => rawRunUntilMcp(image, `bench-raw-conc-${round}-${i}`).then((r) => (eachMs.push(r.ms), r.id)))),
  );
  await removeContainers(result.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
  return { totalMs: ms, eachMs, failures: result.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])) };
}

/** The image exists (a first create builds it). Rounds alternate which side goes first. */
export async function run(): Promise<BenchRow[]> {
  const forge = await benchForge();
  try {
    const first = await forge.create({ name: 'bench-conc-warmup' });
    await forge.deleteAll();
    forge.phases.length = 0;
    const viaForge: Round[] = [];
    const raw: Round[] = [];
    const ports: Set<number>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) viaForge.push(await forgeRound(forge, round, ports)), raw.push(await rawRound(first.image, round));
      else raw.push(await rawRound(first.image, round)), viaForge.push(await forgeRound(forge, round, ports));
    }
    const failures = viaForge.flatMap((r) => r.failures);
    const firstError = failures[0] ? ` (first: ${failures[0].slice(0, 160)})` : '';
    return [
      row(`${N} concurrent create_server, total`, median(viaForge.map((r) => r.totalMs)), median(raw.map((r) => r.totalMs)), 'ms', `median of ${ROUNDS} rounds; baseline: ${N} concurrent docker run -d + MCP initialize`),
      row(`${N} concurrent create_server, per call median`, median(viaForge.flatMap((r) => r.eachMs)), median(raw.flatMap((r) => r.eachMs)), 'ms'),
      row(`${N} concurrent create_server, failures`, failures.length, raw.flatMap((r) => r.failures).length, 'count', `over ${ROUNDS * N} calls; target 0; baseline: failed raw docker runs${firstError}`),
      row(`${N} concurrent create_server, distinct ports per round`, Math.min(...ports.map((p) => p.size)), null, 'count', `of ${N} per round`),
      ...phaseRows(forge.phases, `${N} concurrent create_server`),
    ];
  } finally {
    await forge.stop();
  }
}
