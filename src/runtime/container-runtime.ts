import type { ContainerEvent, ContainerStats, Subscription } from './container-stats.js';

/** What the forge asks of a container engine. `docker/` implements it; nothing else speaks Docker. */
export interface ContainerRuntime {
  readonly images: ImageClient;
  readonly containers: ContainerClient;
  readonly networks: NetworkClient;
  readonly volumes: VolumeClient;
  /** Resolves when the engine answers; rejects with the reason otherwise. */
  ping(): Promise<void>;
  /** The engine's own version and API version. */
  version(): Promise<EngineVersion>;
  /** The engine host's CPUs and memory (asked once, then remembered). */
  host(): Promise<HostInfo>;
  /**
   * Lifecycle events (start, die, oom, kill, stop, restart, destroy) of the containers carrying every
   * label in `labelFilters`, from `since` (engine time, when given) on. `onEnd` is called once when
   * the stream ends, with the error if it failed; `close()` ends it without calling `onEnd`.
   */
  events(
    labelFilters: string[],
    onEvent: (event: ContainerEvent) => void,
    onEnd: (err: Error | null) => void,
    since?: Date,
  ): Promise<Subscription>;
}


/** What the engine says about itself (docker version). */
export interface EngineVersion {
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
}

/** The engine host's size: live limits are checked and resolved against it. */
export interface HostInfo {
  cpus: number;
  memoryBytes: number;
}

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
}

/** An image as the engine reports it; `config` is what a container of it runs by default. */
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

/** Everything needed to create one child container. */
export interface ContainerSpec {
  name: string;
  image: string;
  labels: Record<string, string>;
  env: Record<string, string>;
  /** Replaces the image's Cmd (the args of an http image); absent: the image's own. */
  cmd?: string[];
  containerPort: number;
  hostIp: string;
  hostPort: number;
  /** False: the container port is not published on the host at all (reached over the network only). */
  publish?: boolean;
  restartPolicy: 'no' | 'on-failure' | 'unless-stopped' | 'always';
  stopTimeoutS: number;
  limits: ResourceLimits;
  network: string;
  /** Hardening every child gets: read-only root with a small /tmp tmpfs, a pids limit, a non-root user. */
  hardening: { user: string; pidsLimit: number; tmpSizeBytes: number };
  /** Rotation of the container's json-file log: one file's size (Docker's `max-size`, e.g. 10m) and files kept. */
  logRotation: { maxSize: string; maxFiles: number };
  /** Bind mounts (always read-only) and named volumes. */
  mounts?: Mount[];
}

/** A host folder bound read-only, or a named volume, at `target` in the container. */
export type Mount = { type: 'bind'; source: string; target: string; readOnly: true } | { type: 'volume'; source: string; target: string };

/** cgroup limits the engine enforces; null means none. */
export interface ResourceLimits {
  /** Percent of one core (150 = one and a half cores). */
  cpuPercent: number | null;
  memoryBytes: number | null;
  /** Percent of the host's memory; with memoryBytes set too, the lower one applies. */
  memoryPercent: number | null;
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** One container as the engine reports it. */
export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  status: ContainerStatus;
  running: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
  exitCode: number | null;
  oomKilled: boolean;
  restartCount: number;
  pid: number;
  /** Address on the named network (or the first one) for network-mode connections. */
  networkAddress: string | null;
  hostPort: number | null;
}

/** One process of a running container, as the host sees it. */
export interface ContainerProcess {
  pid: number;
  ppid: number;
  /** The executable's name (`ps -o comm`). */
  command: string;
}

export interface ContainerSummary {
  id: string;
  name: string;
  /** The image reference it was created from. */
  image: string;
  labels: Record<string, string>;
  status: ContainerStatus;
}

export interface ContainerClient {
  create(spec: ContainerSpec): Promise<string>;
  start(id: string): Promise<void>;
  stop(id: string, timeoutS: number): Promise<void>;
  restart(id: string, timeoutS: number): Promise<void>;
  /** Removes the container and its anonymous volumes; a missing container is not an error. */
  remove(id: string): Promise<void>;
  /** Null when there is no such container. */
  inspect(idOrName: string): Promise<ContainerInfo | null>;
  list(labelFilters: string[]): Promise<ContainerSummary[]>;
  /** Host ports that running containers (anyone's) publish now. */
  publishedPorts(): Promise<number[]>;
  /** The container's processes with host pids (docker top); empty when it does not run. */
  processes(id: string): Promise<ContainerProcess[]>;
  /** The last `tail` lines of each stream, kept apart. */
  logs(id: string, tail: number): Promise<{ stdout: string[]; stderr: string[] }>;
  /** Applies cgroup limits to an existing (even running) container without restarting it; null lifts one. */
  update(id: string, limits: ResourceLimits): Promise<void>;
  /**
   * Streams the container's stats (about one reading a second while it runs). `onEnd` is called once
   * when the stream ends (container removed, engine gone), with the error if it failed.
   */
  streamStats(id: string, onStats: (stats: ContainerStats) => void, onEnd: (err: Error | null) => void): Promise<Subscription>;
  /** One reading with CPU deltas (the engine takes about a second); null when the container is not running. */
  statsOnce(id: string): Promise<ContainerStats | null>;
}

export interface NetworkClient {
  /**
   * Creates the network when missing; returns its id. `isolated`: containers on it cannot talk
   * to each other (bridge inter-container traffic off); the host still reaches their published ports.
   */
  ensure(name: string, labels: Record<string, string>, options?: { isolated?: boolean }): Promise<string>;
  /** The labels of the network named `name`, or null when there is none. */
  labels(name: string): Promise<Record<string, string> | null>;
  remove(name: string): Promise<void>;
  /**
   * Connects a stopped container to the network named `name` afresh. A container keeps the
   * id of the network it was created on; after that network was removed and re-created under
   * the same name (compose down, then up), it cannot start until it is reattached.
   */
  reattach(name: string, containerId: string): Promise<void>;
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
