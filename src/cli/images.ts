/** `npm run images`: builds or reuses the Node base and the child base image. */
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../logging/logger.js';
import { BaseImages } from '../images/base-images.js';
import { DockerRuntime } from '../runtime/docker/docker-runtime.js';

const config = loadConfig({ env: process.env });
const log = createLogger(config.server.log_level);
const runtime = new DockerRuntime(config.docker.socket_path);
try {
  await runtime.ping();
  const started = Date.now();
  const id = await new BaseImages(runtime, config, log.child({ component: 'images' })).ensure();
  log.info({ image: config.images.child_base, id, ms: Date.now() - started }, 'images ready');
} catch (err) {
  log.fatal({ err }, 'cannot prepare images');
  process.exitCode = 1;
}
