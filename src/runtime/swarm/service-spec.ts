import type { ChildSpec, HostInfo, Mount, ResourceLimits } from '../runtime.js';
import { effectiveMemoryBytes } from '../resource-limits.js';

/** The restart conditions of a service task, from the docker restart policies. */
const CONDITIONS = { no: 'none', 'on-failure': 'on-failure', 'unless-stopped': 'any', always: 'any' } as const;

/**
 * A task's Resources.Limits for the limits: NanoCPUs, MemoryBytes and Pids (API 1.41). A lifted
 * limit is simply absent: a service update replaces the whole spec, so nothing lingers.
 */
export function serviceLimits(limits: ResourceLimits, host: HostInfo, pidsLimit: number) {
  const nanoCpus = limits.cpuPercent ? Math.min(host.cpus * 1e9, Math.round(limits.cpuPercent * 1e7)) : null;
  const memory = effectiveMemoryBytes(limits, host);
  return {
    ...(nanoCpus !== null ? { NanoCPUs: nanoCpus } : {}),
    ...(memory !== null ? { MemoryBytes: memory } : {}),
    Pids: pidsLimit,
  };
}

/**
 * The service of one child: one replica (created at 0 replicas; `start` scales it to 1), the
 * same labels on the service and its task containers, the hardening Swarm supports (user,
 * read-only root with a tmpfs /tmp, no capabilities, init, pids/memory/CPU limits, rotated
 * json-file log) and the port published in host mode on the node that runs the task.
 * `no-new-privileges` has no service field on Docker 20.10 (see docs/runtime-swarm.md).
 */
export function serviceSpecFor(spec: ChildSpec, host: HostInfo, placement: string[]) {
  const condition = CONDITIONS[spec.restartPolicy];
  return {
    Name: spec.name,
    Labels: spec.labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: spec.image,
        Labels: spec.labels,
        ...(spec.cmd ? { Args: spec.cmd } : {}),
        Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
        User: spec.hardening.user,
        ReadOnly: true,
        Init: true,
        CapabilityDrop: ['ALL'],
        StopGracePeriod: spec.stopTimeoutS * 1e9,
        Mounts: [
          { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: spec.hardening.tmpSizeBytes, Mode: 0o1777 } },
          ...(spec.mounts ?? []).map(toServiceMount),
        ],
      },
      Resources: { Limits: serviceLimits(spec.limits, host, spec.hardening.pidsLimit) },
      // Docker restarts at once and backs off; Swarm waits Delay (5 s unless set) between tasks.
      RestartPolicy: { Condition: condition, Delay: 100_000_000, ...(condition === 'on-failure' ? { MaxAttempts: 5 } : {}) },
      Placement: { Constraints: placement },
      LogDriver: { Name: 'json-file', Options: { 'max-size': spec.logRotation.maxSize, 'max-file': String(spec.logRotation.maxFiles) } },
      Networks: [{ Target: spec.network }],
      ForceUpdate: 0,
    },
    Mode: { Replicated: { Replicas: 0 } },
    // Stop first: the replacement task binds the same host port.
    UpdateConfig: { Parallelism: 1, Order: 'stop-first', FailureAction: 'continue', Monitor: 0 },
    // DNS round robin, not a virtual IP: one task per service needs no load balancing, the name
    // follows a rescheduled task, and a VIP needs IPVS, which not every host has.
    EndpointSpec: {
      Mode: 'dnsrr',
      Ports:
        spec.publish === false
          ? []
          : [{ Protocol: 'tcp', TargetPort: spec.containerPort, PublishedPort: spec.hostPort, PublishMode: 'host' }],
    },
  };
}

function toServiceMount(mount: Mount) {
  const base = { Type: mount.type, Source: mount.source, Target: mount.target };
  return mount.type === 'bind' ? { ...base, ReadOnly: true } : base;
}
