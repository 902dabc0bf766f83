import { PassThrough } from 'node:stream';
import { docker } from './docker-leaks.js';

/**
 * Runs `node -e <script>` inside a container, as its user (child images have no shell), waits for
 * it to end and returns what it printed on both streams, trimmed, with its exit code.
 */
export async function nodeRun(containerId: string, script: string): Promise<{ output: string; exitCode: number | null }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: ['node', '-e', script], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  docker.modem.demuxStream(stream, out, out);
  await new Promise((resolve) => stream.on('end', resolve));
  return { output: Buffer.concat(chunks).toString('utf8').trim(), exitCode: (await exec.inspect()).ExitCode };
}

/** `nodeRun`'s output only. */
export async function nodeIn(containerId: string, script: string): Promise<string> {
  return (await nodeRun(containerId, script)).output;
}
