/**
 * `npm run images`: builds or reuses the Node base and the child base image, and records the
 * Node base in .env for `docker compose up` (the forge image is built FROM it), with an admin
 * token for the forge there when none is set yet; stages the host's npm for the forge image.
 */
import path from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { packageRoot } from '../config/paths.js';
import { createLogger } from '../logging/logger.js';
import { BaseImages } from '../images/base-images.js';
import { ensureComposeToken, recordNodeBase } from '../images/compose-env.js';
import { stageForgeNpm } from '../images/forge-npm.js';
import { createRuntime } from '../runtime/create-runtime.js';

const config = loadConfig({ env: process.env });
const log = createLogger(config.server.log_level);
const runtime = createRuntime(config);
try {
  await runtime.ping();
  const started = Date.now();
  const images = new BaseImages(runtime, config, log.child({ component: 'images' }));
  const nodeBase = await images.ensureNodeBase();
  const id = await images.ensureChildBase(nodeBase);
  const envFile = path.join(packageRoot, '.env');
  if (await recordNodeBase(envFile, nodeBase.ref)) log.info({ file: envFile, NODE_BASE: nodeBase.ref }, 'recorded the Node base for docker compose');
  const npmVersion = await stageForgeNpm();
  log.info({ npm: npmVersion }, "staged the host's npm for the forge image (images/forge/npm)");
  if (await ensureComposeToken(envFile)) log.info({ file: envFile }, 'wrote a new FORGE_AUTH_TOKEN for docker compose (MCP clients send it as a bearer token)');
  log.info({ image: config.images.child_base, id, node_base: nodeBase.ref, ms: Date.now() - started }, 'images ready');
} catch (err) {
  log.fatal({ err }, 'cannot prepare images');
  process.exitCode = 1;
}
