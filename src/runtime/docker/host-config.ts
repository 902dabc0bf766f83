import type { ContainerSpec, Mount, ResourceLimits } from '../container-runtime.js';

/** cgroup fields for the limits; 0 lifts a limit on update. */
export function limitFields(limits: ResourceLimits) {
  const memory = limits.memoryBytes ?? 0;
  return {
    NanoCpus: limits.cpuPercent ? Math.round(limits.cpuPercent * 1e7) : 0,
    Memory: memory,
    // Equal to Memory: no swap, so a memory limit is a real one (-1 lifts it along with Memory).
    MemorySwap: memory > 0 ? memory : -1,
  };
}

/**
 * The HostConfig of a child container: published port, restart policy, limits, init, mounts,
 * and the hardening: no capabilities, no-new-privileges, read-only root with a tmpfs /tmp, a
 * pids limit, its own network. Bind mounts are only the read-only folders a handler was given
 * (checked never to hold the Docker socket).
 */
export function hostConfigFor(spec: ContainerSpec) {
  const portKey = `${spec.containerPort}/tcp`;
  const { NanoCpus, Memory, MemorySwap } = limitFields(spec.limits);
  return {
    PortBindings: { [portKey]: [{ HostIp: spec.hostIp, HostPort: String(spec.hostPort) }] },
    RestartPolicy: spec.restartPolicy === 'on-failure' ? { Name: 'on-failure', MaximumRetryCount: 5 } : { Name: spec.restartPolicy },
    Init: true,
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges:true'],
    ReadonlyRootfs: true,
    Tmpfs: { '/tmp': `rw,noexec,nosuid,nodev,mode=1777,size=${spec.hardening.tmpSizeBytes}` },
    PidsLimit: spec.hardening.pidsLimit,
    NetworkMode: spec.network,
    ...(NanoCpus ? { NanoCpus } : {}),
    ...(Memory ? { Memory, MemorySwap } : {}),
    ...(spec.mounts?.length ? { Mounts: spec.mounts.map(toDockerMount) } : {}),
  };
}

function toDockerMount(mount: Mount) {
  const base = { Type: mount.type, Source: mount.source, Target: mount.target };
  return mount.type === 'bind' ? { ...base, ReadOnly: true } : base;
}
