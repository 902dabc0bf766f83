import { pino, type Logger, type DestinationStream } from 'pino';
import type { LogLevel } from '../config/forge-config.js';

export type { Logger };

/** The forge's root logger: JSON lines; components take `logger.child({ component })`. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, base: { service: 'mcp-forge' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
