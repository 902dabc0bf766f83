import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = path.join(root, 'src', 'cli', 'mcp-forge.ts');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json(): any;
}

/** Runs `mcp-forge <args>` as its own process (node with the tsx loader), as a person would. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const childEnv = { ...process.env, ...env };
  if (!('MCP_FORGE_TOKEN' in env)) delete childEnv.MCP_FORGE_TOKEN;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: root, timeout: 180_000, env: childEnv }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr, json: () => JSON.parse(stdout) });
    });
  });
}

/** A loopback port nothing listens on right now. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
