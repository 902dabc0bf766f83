import type { ChildProcess } from '../runtime/runtime.js';

/**
 * The host pid of a child's MCP server. Children run with an init (docker-init is pid 1 inside,
 * `initPid` = docker inspect's State.Pid on the host) whose child is the node process; the init's
 * pid is the answer only while node is not (yet) there.
 */
export function mcpServerPid(initPid: number, processes: ChildProcess[]): number {
  const children = processes.filter((p) => p.ppid === initPid && p.pid !== initPid);
  return (children.find((p) => p.command === 'node') ?? children[0])?.pid ?? initPid;
}
