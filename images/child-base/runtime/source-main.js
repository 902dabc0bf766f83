// @ts-check
/**
 * Entry point of a child that runs an existing stdio MCP server (an npm package or an image's
 * command): starts it as one subprocess, initializes it, then serves it on /mcp and /sse
 * through the bridge. Everything comes as data: /app/source.json (written by the forge at
 * build time: what to run) and the environment (FORGE_SOURCE_ARGS, the user's env).
 * The server gets the container's environment (the source's env and secrets) minus FORGE_*.
 */
import { readFileSync } from 'node:fs';
import { createSessions } from './sessions.js';
import { childSettings, listenEarly } from './child.js';
import { createBridge } from './stdio-bridge.js';
import { startStdioProcess } from './stdio-process.js';
import { log } from './log.js';

const env = process.env;
const source = JSON.parse(readFileSync(env.FORGE_SOURCE_SPEC ?? '/app/source.json', 'utf8'));
const extraArgs = env.FORGE_SOURCE_ARGS ? JSON.parse(env.FORGE_SOURCE_ARGS) : [];
const initTimeoutMs = Number(env.FORGE_SOURCE_INIT_TIMEOUT_S ?? 30) * 1000;

/** The server sees the user's env and secrets, not the forge's own FORGE_* settings. */
const serverEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('FORGE_') && key !== 'PORT'));

/** npm packages run their bin with this Node; an image runs its own command. */
const [command, ...args] = source.bin ? [process.execPath, source.bin] : source.command;
const spec = { command, args: [...args, ...extraArgs], env: serverEnv, cwd: source.cwd };

let bridge;
const stdio = startStdioProcess(spec, (message) => bridge.onServerMessage(message));
bridge = createBridge(stdio);
const { identity, port, idleMs, maxSessions, guard } = childSettings(env);
const server = listenEarly(port);
try {
  const init = await bridge.initialize(initTimeoutMs);
  log.info('stdio server initialized', { server: init?.serverInfo, protocol: init?.protocolVersion });
} catch (err) {
  log.error('stdio server did not initialize', { error: String(/** @type {Error} */ (err).message) });
  process.exit(1);
}
const sessions = createSessions({ identity, idleMs, maxSessions, guard, units: { guarded: false, authorize: async () => null }, connect: (t) => bridge.connect(t) });
server.serve(sessions, { identity, onClose: () => stdio.stop(), source: source.package ?? source.image ?? 'image' });
