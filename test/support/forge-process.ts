import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { packageRoot } from '../../src/config/paths.js';
import { RUN_ID, TEST_LABEL, TEST_REPOSITORY, runtimeKind } from './test-env.js';

/** A forge run as `npm start` runs it (src/cli/forge.ts), in its own process, so it can be killed for real. */
export interface ForgeProcess {
  url: string;
  child: ChildProcess;
  lines: Array<Record<string, any>>;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

export function startForgeProcess(env: Record<string, string>): Promise<ForgeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/forge.ts'], {
    cwd: packageRoot,
    env: {
      PATH: process.env.PATH ?? '',
      FORGE_PORT: '0',
      FORGE_LOG_LEVEL: 'info',
      FORGE_EXTRA_LABELS: `${TEST_LABEL}=${RUN_ID}`,
      FORGE_CHILD_REPOSITORY: TEST_REPOSITORY,
      ...(process.env.FORGE_CHILD_BASE_IMAGE ? { FORGE_CHILD_BASE_IMAGE: process.env.FORGE_CHILD_BASE_IMAGE } : {}),
      // The same runtime as testConfig's (swarm: pinned to the manager, the test registry).
      ...(runtimeKind() === 'swarm' ? { FORGE_RUNTIME: 'swarm', FORGE_RUNTIME_PLACEMENT: 'node.role==manager', FORGE_RUNTIME_REGISTRY: process.env.FORGE_RUNTIME_REGISTRY ?? '127.0.0.1:5000' } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, any>> = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        lines.push(entry);
        if (entry.msg === 'MCP-Forge listening') resolve({ url: entry.url, child, lines, exited });
      } catch {
        // not a log line
      }
    });
    exited.then((code) => reject(new Error(`forge exited with ${code} before listening: ${stderr}`)));
  });
}
