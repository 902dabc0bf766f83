import { CapabilityCatalog } from '../../../src/render/capability-catalog.js';
import { ChildContextRenderer, writeContext } from '../../../src/render/child-context.js';
import { row, type BenchRow } from '../support/bench-row.js';
import { benchForge } from '../support/bench-forge.js';
import { templatesWithNewCapabilities } from '../support/bench-templates.js';
import { phaseRows } from '../support/phases.js';
import { rawBuild, rawRunUntilMcp, removeContainers, removeImage } from '../support/raw-docker.js';
import { median, timed } from '../support/stats.js';
import { docker } from '../../support/docker-leaks.js';

export const title = 'cold create_server (new capability set) vs raw docker build + run';

const RUNS = 4;

/**
 * Each run uses a capability Docker has never built (so no layer cache helps either side):
 * create_server with it, against `docker build` of the same rendered context (another new
 * capability) followed by `docker run` until MCP initialize answers.
 */
export async function run(): Promise<BenchRow[]> {
  const templates = await templatesWithNewCapabilities(2 * RUNS);
  const forge = await benchForge({ templates: { dir: templates.dir } });
  const config = forge.config;
  const renderer = new ChildContextRenderer(templates.dir, await CapabilityCatalog.load(templates.dir), {
    childBase: config.images.child_base,
    containerPort: config.children.container_port,
    childUid: config.children.uid,
  });
  const baseId = (await docker.getImage(config.images.child_base).inspect()).Id;
  const forgeMs: number[] = [];
  const rawMs: number[] = [];
  const rawBuildMs: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const viaForge = async () => {
        forgeMs.push((await timed(() => forge.create({ name: `bench-cold-${i}`, capabilities: ['echo', templates.names[2 * i]!] }))).ms);
      };
      const raw = async () => {
        const context = renderer.render({ capabilities: ['echo', templates.names[2 * i + 1]!] }, baseId);
        const { dir, cleanup } = await writeContext(context);
        const tag = `${config.images.child_repository}:raw-${i}`;
        try {
          const started = performance.now();
          rawBuildMs.push(await rawBuild(dir, tag));
          const { id } = await rawRunUntilMcp(tag, `bench-raw-cold-${i}`);
          rawMs.push(performance.now() - started);
          await removeContainers([id]);
        } finally {
          await cleanup();
          await removeImage(tag);
        }
      };
      for (const step of i % 2 === 0 ? [viaForge, raw] : [raw, viaForge]) await step();
    }
    const buildPhases = forge.phases.map((p) => p.build ?? 0);
    return [
      row('cold create_server → MCP ready, median', median(forgeMs), median(rawMs), 'ms', `n=${RUNS}; baseline: docker build + docker run -d + MCP initialize`),
      row('cold image build alone, median', median(buildPhases), median(rawBuildMs), 'ms', 'forge build phase vs docker build -q of the same context'),
      ...phaseRows(forge.phases, 'cold create_server'),
    ];
  } finally {
    await forge.stop();
    await templates.cleanup();
  }
}
