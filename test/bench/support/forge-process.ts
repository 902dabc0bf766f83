import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { ForgeConfig } from '../../../src/config/forge-config.js';
import { packageRoot } from '../../../src/config/paths.js';
import { freePort } from '../../support/host.js';
import { until } from '../../support/poll.js';

/** A forge run as its own process from dist/ (as `node dist/cli/forge.js`, the compose image's command). */
export interface ForgeProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `node dist/cli/forge.js` with `config` passed as FORGE_* variables; resolves once /healthz answers. */
export async function startForgeProcess(config: ForgeConfig): Promise<ForgeProcess> {
  const port = await freePort();
  const labels = Object.entries(config.docker.extra_labels).map(([k, v]) => `${k}=${v}`).join(',');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    FORGE_PORT: String(port),
    FORGE_LOG_LEVEL: 'warn',
    FORGE_DATA_DIR: config.storage.data_dir,
    FORGE_INSTANCE_ID: config.server.instance_id ?? '',
    FORGE_PORT_RANGE_START: String(config.children.port_range_start),
    FORGE_PORT_RANGE_END: String(config.children.port_range_end),
    FORGE_CHILD_BASE_IMAGE: config.images.child_base,
    FORGE_CHILD_REPOSITORY: config.images.child_repository,
    FORGE_EXTRA_LABELS: labels,
  };
  // E.g. BENCH_FORGE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the forge (written when it stops).
  const nodeArgs = process.env.BENCH_FORGE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, path.join(packageRoot, 'dist/cli/forge.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const died = exited.then(([code]) => {
    throw new Error(`the forge process exited with code ${code}`);
  });
  died.catch(() => undefined); // also settles when stop() ends the process later
  await Promise.race([until('the forge process to answer /healthz', async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 60_000), died]);
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
