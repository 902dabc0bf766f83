import type { ChildEvent, ChildStats, Subscription } from './child-stats.js';

/** Which engine runs the children (config `runtime.kind`, env FORGE_RUNTIME). */
export type RuntimeKind = 'docker' | 'swarm';

/**
 * What the forge needs from any engine that runs children: make an image available, deploy a child
 * from a spec, start, stop, remove it, change its limits, read its status, logs, stats and events,
 * list by label. `docker/` and `swarm/` implement it; nothing outside `runtime/` knows which one runs.
 */
export interface Runtime {
  readonly kind: RuntimeKind;
  readonly images: ImageClient;
  readonly children: ChildClient;
  readonly networks: NetworkClient;
  readonly volumes: VolumeClient;
  /** Resolves when the engine answers; rejects with the reason otherwise. */
  ping(): Promise<void>;
  /** The engine's own version and API version. */
  version(): Promise<EngineVersion>;
  /** The size of the host (docker) or of the largest node (swarm) limits are checked against; asked once. */
  host(): Promise<HostInfo>;
  /**
   * Lifecycle events (start, die, oom, kill, stop, restart, destroy) of the children carrying every
   * label in `labelFilters`, from `since` (engine time, when given) on. `onEnd` is called once when
   * the stream ends, with the error if it failed; `close()` ends it without calling `onEnd`.
   */
  events(labelFilters: string[], onEvent: (event: ChildEvent) => void, onEnd: (err: Error | null) => void, since?: Date): Promise<Subscription>;
  /** Releases what the runtime holds (connections to other nodes); the forge calls it on stop. */
  close?(): Promise<void>;
}

/** What the engine says about itself. */
export interface EngineVersion {
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
}

/** The size limits are resolved against. */
export interface HostInfo {
  cpus: number;
  memoryBytes: number;
}

/** Images are built on the forge's own engine; `distribute` makes one available to every node. */
export interface ImageClient {
  /** The image's id, or null when the engine has no such image. */
  inspect(ref: string): Promise<ImageInfo | null>;
  /** Builds a tar build context; resolves to the image id. Progress lines go to `onProgress`. */
  build(context: NodeJS.ReadableStream, options: BuildOptions, onProgress?: (line: string) => void): Promise<string>;
  /** Imports a root filesystem tarball as an image (docker import). */
  importRootfs(rootfs: NodeJS.ReadableStream, options: { tag: string; changes: string[] }): Promise<void>;
  /** Tries to pull; resolves false (never throws) when the registry cannot be reached. */
  tryPull(ref: string): Promise<boolean>;
  remove(ref: string): Promise<void>;
  list(labelFilters: string[]): Promise<Array<{ id: string; tags: string[]; labels: Record<string, string> }>>;
  /**
   * Makes a locally built image available to the engine and returns the reference children are
   * deployed from: docker, the reference itself; swarm, the image pushed to `runtime.registry`
   * and named by digest (`registry/repo@sha256:…`), so every node pulls the same bytes.
   */
  distribute(ref: string): Promise<string>;
}

/** An image as the engine reports it; `config` is what a child of it runs by default. */
export interface ImageInfo {
  id: string;
  labels: Record<string, string>;
  /** The first repository digest (`name@sha256:...`), null for a locally built image. */
  digest?: string | null;
  config?: { user: string; entrypoint: string[]; cmd: string[]; workingDir: string };
}

export interface BuildOptions {
  tag: string;
  labels: Record<string, string>;
  buildArgs?: Record<string, string>;
}

/** Everything needed to deploy one child, in no engine's terms. */
export interface ChildSpec {
  /** The child's name: the container's (docker) or the service's (swarm), unique per engine. */
  name: string;
  image: string;
  labels: Record<string, string>;
  env: Record<string, string>;
  /** Replaces the image's Cmd (the args of an http image); absent: the image's own. */
  cmd?: string[];
  containerPort: number;
  /** Address the port is published on (docker); swarm publishes on every address of the task's node. */
  hostIp: string;
  hostPort: number;
  /** False: the port is not published at all (reached over the network only). */
  publish?: boolean;
  restartPolicy: 'no' | 'on-failure' | 'unless-stopped' | 'always';
  stopTimeoutS: number;
  limits: ResourceLimits;
  network: string;
  /** Hardening every child gets: read-only root with a small /tmp tmpfs, a pids limit, a non-root user. */
  hardening: { user: string; pidsLimit: number; tmpSizeBytes: number };
  /** Rotation of the child's json-file log: one file's size (e.g. 10m) and files kept. */
  logRotation: { maxSize: string; maxFiles: number };
  /** Bind mounts (always read-only) and named volumes. */
  mounts?: Mount[];
}

/** A host folder bound read-only, or a named volume, at `target` in the child. */
export type Mount = { type: 'bind'; source: string; target: string; readOnly: true } | { type: 'volume'; source: string; target: string };

/** cgroup limits the engine enforces; null means none. */
export interface ResourceLimits {
  /** Percent of one core (150 = one and a half cores). */
  cpuPercent: number | null;
  memoryBytes: number | null;
  /** Percent of the host's memory; with memoryBytes set too, the lower one applies. */
  memoryPercent: number | null;
}

/** A child's state, whatever the engine (swarm task states map onto these). */
export type ChildState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** One child as the engine reports it. */
export interface ChildInfo {
  /** The engine's id: a container id (docker) or a service id (swarm). */
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  status: ChildState;
  running: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
  exitCode: number | null;
  oomKilled: boolean;
  restartCount: number;
  /** Host pid of the child's first process when it runs on the forge's own engine; 0 otherwise. */
  pid: number;
  /** Address on the named network (or the first one) for network-mode connections. */
  networkAddress: string | null;
  hostPort: number | null;
  /**
   * Where the published port is reachable: null on the docker runtime (children.host_ip applies);
   * on swarm, the address of the node the task runs on.
   */
  hostAddress: string | null;
  /** The node the child runs on (swarm: node id and hostname), null on the docker runtime. */
  node: { id: string; name: string } | null;
}

/** One process of a running child, as its host sees it. */
export interface ChildProcess {
  pid: number;
  ppid: number;
  /** The executable's name (`ps -o comm`). */
  command: string;
}

export interface ChildSummary {
  id: string;
  name: string;
  /** The image reference it was deployed from. */
  image: string;
  labels: Record<string, string>;
  status: ChildState;
}

export interface ChildClient {
  /** Deploys a child (created, not started); resolves to its id. */
  deploy(spec: ChildSpec): Promise<string>;
  /** Starts a deployed or stopped child; whatever the engine needs first (docker: reconnecting a re-created network) is its own. */
  start(id: string): Promise<void>;
  stop(id: string, timeoutS: number): Promise<void>;
  restart(id: string, timeoutS: number): Promise<void>;
  /** Removes the child and its anonymous volumes; a missing child is not an error. */
  remove(id: string): Promise<void>;
  /** Null when there is no such child. */
  inspect(idOrName: string): Promise<ChildInfo | null>;
  list(labelFilters: string[]): Promise<ChildSummary[]>;
  /** Host ports that running children or containers (anyone's) publish now. */
  publishedPorts(): Promise<number[]>;
  /** The child's processes with host pids; empty when it does not run or runs on another node. */
  processes(id: string): Promise<ChildProcess[]>;
  /** The last `tail` lines of each stream, kept apart. */
  logs(id: string, tail: number): Promise<{ stdout: string[]; stderr: string[] }>;
  /**
   * Applies limits to a child; null lifts one. The docker runtime changes a running container's
   * cgroups in place (`restarted: false`); swarm replaces the task (`restarted: true`).
   */
  updateLimits(id: string, limits: ResourceLimits): Promise<{ restarted: boolean }>;
  /**
   * Streams the child's stats (about one reading a second while it runs). `onEnd` is called once
   * when the stream ends (child removed, engine gone), with the error if it failed; a child whose
   * stats cannot be read (a task on a node the forge cannot reach) ends at once with a RuntimeError
   * of reason `unavailable` saying why, never with zeros.
   */
  streamStats(id: string, onStats: (stats: ChildStats) => void, onEnd: (err: Error | null) => void): Promise<Subscription>;
  /** One reading with CPU deltas; null when the child is not running; RuntimeError `unavailable` when it cannot be read. */
  statsOnce(id: string): Promise<ChildStats | null>;
}

export interface NetworkClient {
  /**
   * Creates the network when missing; returns its id. `isolated`: children on it cannot talk to
   * each other; the host still reaches their published ports. `internal`: no route out of the
   * network (Docker `Internal`; nothing can be published from it); an existing network of that
   * name that has a route out is refused (RuntimeError `conflict`). On swarm: an attachable overlay.
   */
  ensure(name: string, labels: Record<string, string>, options?: { isolated?: boolean; internal?: boolean }): Promise<string>;
  /** The labels of the network named `name`, or null when there is none. */
  labels(name: string): Promise<Record<string, string> | null>;
  remove(name: string): Promise<void>;
  /**
   * Connects a container that is not a child (the forge's own, under Compose) to the network named
   * `name`, afresh: an endpoint left from an earlier network of that name is replaced.
   */
  join(name: string, containerName: string): Promise<void>;
}

export interface VolumeClient {
  /** Creates the named volume when missing (labels apply only to a new one). */
  ensure(name: string, labels: Record<string, string>): Promise<void>;
  /** Null when there is no such volume. */
  inspect(name: string): Promise<{ name: string; labels: Record<string, string> } | null>;
  /** Removes the volume; a missing one is not an error. */
  remove(name: string): Promise<void>;
}

/** Errors of the engine that callers act on. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
  constructor(
    message: string,
    readonly reason: 'not_found' | 'conflict' | 'port_in_use' | 'unavailable' | 'failed',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
