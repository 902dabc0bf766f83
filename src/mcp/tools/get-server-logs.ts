import type { LogType } from '../../servers/server-queries.js';
import { serverIdParam, type ForgeTool } from '../forge-tool.js';

/** get_server_logs: the child's own stdout and stderr from the engine's log, kept apart. */
export const getServerLogsTool: ForgeTool<{ server_id: string; log_type?: LogType; max_lines?: number }> = {
  name: 'get_server_logs',
  title: 'Get server logs',
  description:
    "The last lines a server printed, from its container's log (kept by the engine, so they survive forge restarts): " +
    'stdout and stderr apart. The child runtime logs information to stdout and warnings and errors to stderr. ' +
    'Read bounded in bytes: at most the newest 1 MiB, so possibly fewer lines than asked.',
  inputSchema: {
    type: 'object',
    properties: {
      server_id: serverIdParam,
      log_type: { type: 'string', enum: ['stdout', 'stderr', 'all'], default: 'all', description: 'Which stream: stdout, stderr or all (both, apart).' },
      max_lines: { type: 'integer', minimum: 1, maximum: 10000, default: 50, description: 'Lines per stream, newest last.' },
    },
    required: ['server_id'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true },
  async handler({ server_id, log_type = 'all', max_lines = 50 }, { services }) {
    const { record, logs } = await services.queries.logs(server_id, log_type, max_lines);
    return { status: 'success', server_id: record.id, log_type, logs };
  },
};
