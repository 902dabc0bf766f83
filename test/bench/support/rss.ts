import { readFile } from 'node:fs/promises';
import { docker } from '../../support/docker-leaks.js';

const MIB = 1024 * 1024;

/** Resident set size of a host process, in MiB (from /proc). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for pid ${pid}`);
  return (kb * 1024) / MIB;
}

/**
 * RSS of the Node process in a container, seen from the host. With `--init` the container's
 * first process is docker-init and Node is its child.
 */
export async function containerNodeRssMiB(containerId: string): Promise<number> {
  const pid = (await docker.getContainer(containerId).inspect()).State.Pid;
  const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  if (comm === 'node') return rssMiB(pid);
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/).map(Number);
  if (children.length !== 1 || !children[0]) throw new Error(`container ${containerId}: expected one process under ${comm}, found ${children.join(',')}`);
  return rssMiB(children[0]);
}

/** Pids of `pid` and all its descendants (from /proc on the host). */
async function processTree(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').then((t) => t.trim().split(/\s+/).filter(Boolean).map(Number), () => [] as number[]);
  return [pid, ...(await Promise.all(children.map(processTree))).flat()];
}

/** RSS of every process in a container (docker-init, the bridge, its server...), by command name, and their sum; MiB. */
export async function containerTreeRssMiB(containerId: string): Promise<{ total: number; byCommand: Array<{ comm: string; mib: number }> }> {
  const pid = (await docker.getContainer(containerId).inspect()).State.Pid;
  const byCommand = await Promise.all(
    (await processTree(pid)).map(async (p) => ({ comm: (await readFile(`/proc/${p}/comm`, 'utf8')).trim(), mib: await rssMiB(p) })),
  );
  return { total: byCommand.reduce((sum, p) => sum + p.mib, 0), byCommand };
}
