// @ts-check
/**
 * The one stdio MCP server of a bridged child: a subprocess speaking newline-delimited
 * JSON-RPC on stdin/stdout. Its stderr goes straight to the container's stderr (so the
 * forge's logs and error messages show it). When it dies the child exits non-zero, so the
 * restart policy, the crash-loop diagnosis and the alerts see it.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { log } from './log.js';

/**
 * @param {{ command: string, args: string[], env: Record<string, string | undefined>, cwd?: string }} spec
 * @param {(message: any) => void} onMessage
 */
export function startStdioProcess(spec, onMessage) {
  let stopping = false;
  const child = spawn(spec.command, spec.args, { env: spec.env, cwd: spec.cwd, stdio: ['pipe', 'pipe', 'inherit'] });
  child.on('error', (err) => {
    log.error('stdio server could not be started', { command: spec.command, error: String(err?.message ?? err) });
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    log.error('stdio server exited', { code, signal });
    process.exit(code ? code : 1);
  });
  child.stdin.on('error', (err) => log.warn('stdio server stdin closed', { error: String(err?.message ?? err) }));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      log.warn('stdio server wrote a line that is not JSON-RPC', { line: line.slice(0, 500) });
      return;
    }
    onMessage(message);
  });
  return {
    /** @param {any} message */
    write(message) {
      child.stdin.write(JSON.stringify(message) + '\n');
    },
    stop() {
      stopping = true;
      child.kill('SIGTERM');
    },
  };
}
