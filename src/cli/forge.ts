/** `npm start`: runs the forge until SIGINT or SIGTERM. */
import { loadConfig } from '../config/load-config.js';
import { Forge } from '../forge.js';
import { createLogger } from '../logging/logger.js';

let forge: Forge | undefined;
try {
  const config = loadConfig({ env: process.env });
  forge = await Forge.start(config, { log: createLogger(config.server.log_level) });
} catch (err) {
  process.stderr.write(`mcp-forge: cannot start: ${(err as Error).message}\n`);
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    forge!.stop().then(() => process.exit(0), () => process.exit(1));
  });
}
