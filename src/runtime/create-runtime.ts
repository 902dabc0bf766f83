import type { ForgeConfig } from '../config/forge-config.js';
import type { Runtime } from './runtime.js';
import { DockerRuntime } from './docker/docker-runtime.js';
import { SwarmRuntime } from './swarm/swarm-runtime.js';

/** The runtime `runtime.kind` names, on the engine at `docker.socket_path`. */
export function createRuntime(config: ForgeConfig, warn?: (message: string) => void): Runtime {
  return config.runtime.kind === 'swarm'
    ? new SwarmRuntime(config.docker.socket_path, config.runtime, warn)
    : new DockerRuntime(config.docker.socket_path);
}
