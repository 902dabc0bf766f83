import type { ChildSpec, HostInfo, Mount, ResourceLimits } from '../runtime.js';
import { effectiveMemoryBytes } from '../resource-limits.js';

/**
 * The cgroup v1 memory limit the kernel reads as "unlimited" (PAGE_COUNTER_MAX pages). Docker 20.10
 * takes 0 in an update as "unchanged" and refuses -1, so a memory limit is lifted by raising it here.
 */
export const UNLIMITED_MEMORY = 2 ** 63 - 4096;

/**
 * cgroup fields for the limits. On `create` a missing limit is simply absent; on `update` it is
 * lifted explicitly, because Docker 20.10 ignores zeroes there: CPU to every host core (Docker's
 * maximum, the same as no limit), memory to the kernel's unlimited value.
 */
export function limitFields(limits: ResourceLimits, host: HostInfo, mode: 'create' | 'update') {
  const maxNanoCpus = host.cpus * 1e9;
  const nanoCpus = limits.cpuPercent ? Math.min(maxNanoCpus, Math.round(limits.cpuPercent * 1e7)) : null;
  const memory = effectiveMemoryBytes(limits, host);
  const fields: { NanoCpus?: number; Memory?: number; MemorySwap?: number } = {};
  if (nanoCpus !== null || mode === 'update') fields.NanoCpus = nanoCpus ?? maxNanoCpus;
  // MemorySwap equal to Memory: no swap, so a memory limit is a real one.
  if (memory !== null || mode === 'update') fields.Memory = fields.MemorySwap = memory ?? UNLIMITED_MEMORY;
  return fields;
}

/**
 * The HostConfig of a child container: published port, restart policy, limits, init, mounts,
 * and the hardening: no capabilities, no-new-privileges, read-only root with a tmpfs /tmp, a
 * pids limit, its own network, a rotated log (a chatty child cannot fill the disk). Bind mounts are only the read-only folders a handler was given
 * (checked never to hold the Docker socket).
 */
export function hostConfigFor(spec: ChildSpec, host: HostInfo) {
  const portKey = `${spec.containerPort}/tcp`;
  return {
    PortBindings: spec.publish === false ? {} : { [portKey]: [{ HostIp: spec.hostIp, HostPort: String(spec.hostPort) }] },
    RestartPolicy: spec.restartPolicy === 'on-failure' ? { Name: 'on-failure', MaximumRetryCount: 5 } : { Name: spec.restartPolicy },
    Init: true,
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges:true'],
    ReadonlyRootfs: true,
    Tmpfs: { '/tmp': `rw,noexec,nosuid,nodev,mode=1777,size=${spec.hardening.tmpSizeBytes}` },
    PidsLimit: spec.hardening.pidsLimit,
    LogConfig: { Type: 'json-file', Config: { 'max-size': spec.logRotation.maxSize, 'max-file': String(spec.logRotation.maxFiles) } },
    NetworkMode: spec.network,
    ...limitFields(spec.limits, host, 'create'),
    ...(spec.mounts?.length ? { Mounts: spec.mounts.map(toDockerMount) } : {}),
  };
}

function toDockerMount(mount: Mount) {
  const base = { Type: mount.type, Source: mount.source, Target: mount.target };
  return mount.type === 'bind' ? { ...base, ReadOnly: true } : base;
}
