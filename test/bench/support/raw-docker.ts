import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { DockerRuntime } from '../../../src/runtime/docker/docker-runtime.js';
import { McpInitializeWait } from '../../../src/servers/mcp-ready.js';
import { until } from '../../support/poll.js';
import { TEST_LABEL, RUN_ID } from '../../support/test-env.js';
import { BASELINE_PORTS } from './bench-forge.js';
import { timed } from './stats.js';

const exec = promisify(execFile);
const docker = (...args: string[]) => exec('docker', args, { maxBuffer: 16 * 1024 * 1024 }).then((r) => r.stdout.trim());
const runtime = new DockerRuntime('/var/run/docker.sock');
const label = `${TEST_LABEL}=${RUN_ID}`;
let nextPort = BASELINE_PORTS.start;

/** The next baseline host port (cycling through BASELINE_PORTS). */
export function baselinePort(): number {
  const port = nextPort;
  nextPort = nextPort >= BASELINE_PORTS.end ? BASELINE_PORTS.start : nextPort + 1;
  return port;
}

/**
 * The baseline of create_server: a plain `docker run -d` of `image` with its port published,
 * then the forge's own readiness check (MCP initialize, same poll interval) until it answers.
 */
export async function rawRunUntilMcp(image: string, name: string): Promise<{ ms: number; id: string; port: number }> {
  const port = baselinePort();
  const { ms, result: id } = await timed(async () => {
    const id = await docker('run', '-d', '--label', label, '-p', `127.0.0.1:${port}:8080`,
      '-e', `FORGE_SERVER_NAME=${name}`, '-e', 'FORGE_SERVER_DESCRIPTION=raw docker run baseline',
      '-e', `FORGE_ALLOWED_HOSTS=${JSON.stringify([`127.0.0.1:${port}`])}`, image);
    await new McpInitializeWait(runtime).waitUntilReady({ url: `http://127.0.0.1:${port}`, containerId: id }, 30_000);
    return id;
  });
  return { ms, id, port };
}

/** A plain `docker build` of a context folder; milliseconds. */
export async function rawBuild(dir: string, tag: string): Promise<number> {
  return (await timed(() => docker('build', '-q', '--label', label, '-t', tag, dir))).ms;
}

/** A plain `docker run -d` of a bare Node HTTP server in `image` (the RSS baseline of a child), once it answers HTTP. */
export async function rawBareNode(image: string): Promise<string> {
  const port = baselinePort();
  const server = "require('http').createServer((q, s) => s.end('ok')).listen(8080)";
  const id = await docker('run', '-d', '--label', label, '-p', `127.0.0.1:${port}:8080`, image, 'node', '-e', server);
  await until('the bare Node container to answer HTTP', async () => ((await fetch(`http://127.0.0.1:${port}/`)).ok ? true : undefined));
  return id;
}

export async function removeContainers(ids: string[]): Promise<void> {
  if (ids.length) await docker('rm', '-f', '-v', ...ids);
}

export async function removeImage(tag: string): Promise<void> {
  await docker('rmi', '-f', tag).catch(() => undefined);
}

/**
 * The fair baseline of create_server: the very container spec the forge made for `templateId`
 * (same image, environment, user, HostConfig with its hardening and limits, network), created
 * and started through the Docker API under another name and port, until it answers MCP
 * initialize through the forge's own readiness wait. What is left is the forge's own overhead.
 */
export async function apiRunLikeForge(templateId: string, name: string): Promise<{ ms: number; id: string; port: number }> {
  const dockerode = new Dockerode({ socketPath: '/var/run/docker.sock' });
  const template = await dockerode.getContainer(templateId).inspect();
  const port = baselinePort();
  const networks = Object.keys(template.NetworkSettings.Networks);
  const { ms, result: id } = await timed(async () => {
    const container = await dockerode.createContainer({
      name,
      Image: template.Config.Image,
      // The child admits its own published address only: this copy is published on another port.
      Env: template.Config.Env.map((e: string) => (e.startsWith('FORGE_ALLOWED_HOSTS=') ? `FORGE_ALLOWED_HOSTS=${JSON.stringify([...JSON.parse(e.slice(20)), `127.0.0.1:${port}`])}` : e)),
      Cmd: template.Config.Cmd,
      User: template.Config.User,
      WorkingDir: template.Config.WorkingDir,
      ExposedPorts: template.Config.ExposedPorts,
      Labels: { [TEST_LABEL]: RUN_ID },
      HostConfig: { ...template.HostConfig, PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
      NetworkingConfig: { EndpointsConfig: Object.fromEntries(networks.slice(0, 1).map((n) => [n, {}])) },
    });
    await container.start();
    await new McpInitializeWait(runtime).waitUntilReady({ url: `http://127.0.0.1:${port}`, containerId: container.id }, 30_000);
    return container.id;
  });
  return { ms, id, port };
}
