import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One worker daemon test/cluster/run.sh started in a network namespace and joined to the swarm. */
export interface ClusterNode {
  /** n1, n2: also its node label mcp-forge.node. */
  name: string;
  /** Its own hostname (unshare --uts): the swarm node's hostname, runtime.node_engines' key. */
  hostname: string;
  /** The swarm node id. */
  id: string;
  /** Its address on the bridge (the node's advertise address, where host-mode ports answer). */
  address: string;
  /** Its Docker endpoint (unix:///run/mcpfc/nK/docker.sock). */
  engine: string;
  netns: string;
  pidfile: string;
}

/** What run.sh exported; the files under test/cluster/ run only through it. */
export function clusterEnv(): { nodes: ClusterNode[]; registry: string; manager: string; baseImage: string } {
  const { CLUSTER_NODES, CLUSTER_REGISTRY, CLUSTER_MANAGER, CLUSTER_BASE_IMAGE } = process.env;
  if (!CLUSTER_NODES || !CLUSTER_REGISTRY || !CLUSTER_MANAGER || !CLUSTER_BASE_IMAGE) {
    throw new Error('test/cluster/ runs through `npm run test:cluster` (test/cluster/run.sh sets the cluster up)');
  }
  return { nodes: JSON.parse(CLUSTER_NODES), registry: CLUSTER_REGISTRY, manager: CLUSTER_MANAGER, baseImage: CLUSTER_BASE_IMAGE };
}

/** The docker CLI on the manager (no engine) or on a node's engine; rejects with its stderr. */
export async function dockerCli(engine: string | null, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('docker', [...(engine ? ['-H', engine] : []), ...args], { maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`docker ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
  }
}

/** A command inside a node's network namespace (nsenter --net). */
export async function inNetns(node: ClusterNode, ...cmd: string[]): Promise<string> {
  const { stdout } = await run('nsenter', [`--net=/var/run/netns/${node.netns}`, ...cmd]);
  return stdout.trim();
}

/** The node (hostname) and state of each task of a service, newest first. */
export async function serviceTasks(service: string): Promise<Array<{ node: string; current: string; desired: string; error: string }>> {
  const out = await dockerCli(null, 'service', 'ps', '--no-trunc', '--format', '{{json .}}', service);
  return out.split('\n').filter(Boolean).map((line) => {
    const t = JSON.parse(line) as { Node: string; CurrentState: string; DesiredState: string; Error: string };
    return { node: t.Node, current: t.CurrentState, desired: t.DesiredState, error: t.Error };
  });
}

/** Stops a worker's dockerd (SIGTERM: it stops its containers, the node goes Down); resolves when it has exited. */
export async function stopNodeDaemon(node: ClusterNode): Promise<void> {
  await run('bash', ['-c', `. test/cluster/nodes.sh && cl_node_stop ${node.name}`]);
}

/** Starts a stopped worker's dockerd again (same data-root: it rejoins the swarm); resolves when it answers. */
export async function startNodeDaemon(node: ClusterNode): Promise<void> {
  await run('bash', ['-c', `. test/cluster/nodes.sh && cl_daemon_start ${node.name}`]);
}

/** The swarm's view of a node: ready or down. */
export async function nodeState(node: ClusterNode): Promise<string> {
  return dockerCli(null, 'node', 'inspect', '-f', '{{.Status.State}}', node.id);
}
