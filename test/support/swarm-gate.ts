import { spawn } from 'node:child_process';
import Dockerode from 'dockerode';

/**
 * `npm test`'s second half: `node --import tsx test/support/swarm-gate.ts npm run test:swarm`
 * runs the command after it only when the local daemon is a swarm manager and the registry of
 * FORGE_RUNTIME_REGISTRY (default 127.0.0.1:5000) answers. Otherwise it says why and exits 0 (a
 * developer machine without either skips the swarm suite), or 1 when MCP_FORGE_REQUIRE_SWARM is
 * set (.ci/run sets it: there the swarm suite must run). Exits with the command's own code.
 */
const registry = process.env.FORGE_RUNTIME_REGISTRY || '127.0.0.1:5000';
const command = process.argv.slice(2);

async function missing(): Promise<string | null> {
  const docker = new Dockerode({ socketPath: process.env.FORGE_DOCKER_SOCKET ?? '/var/run/docker.sock' });
  const info = await docker.info().catch(() => null);
  if (!info) return 'no Docker daemon answers';
  const swarm = info.Swarm as { LocalNodeState?: string; ControlAvailable?: boolean };
  if (swarm.LocalNodeState !== 'active') return `the daemon is in no swarm (${swarm.LocalNodeState}; docker swarm init)`;
  if (!swarm.ControlAvailable) return 'the daemon is a swarm worker, not a manager';
  const ok = await fetch(`http://${registry}/v2/`, { signal: AbortSignal.timeout(3000) }).then((r) => r.ok, () => false);
  if (!ok) return `no registry answers at http://${registry}/v2/ (FORGE_RUNTIME_REGISTRY; Debian's docker-registry, see README "Running on a swarm")`;
  return null;
}

const why = await missing();
if (why) {
  const required = !!process.env.MCP_FORGE_REQUIRE_SWARM;
  console.log(`\n  swarm suite ${required ? 'cannot run' : 'skipped'}: ${why}${required ? ' (MCP_FORGE_REQUIRE_SWARM is set)' : ' (MCP_FORGE_REQUIRE_SWARM=1 makes this a failure)'}\n`);
  process.exit(required ? 1 : 0);
}
if (command.length === 0) process.exit(0);
const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env: { ...process.env, FORGE_RUNTIME_REGISTRY: registry } });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
