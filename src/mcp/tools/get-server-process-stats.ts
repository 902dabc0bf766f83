import { serverIdOnlySchema, type ForgeTool } from '../forge-tool.js';

/** get_server_process_stats: live figures of a running child, as docker stats and docker inspect show them. */
export const getServerProcessStatsTool: ForgeTool<{ server_id: string }> = {
  name: 'get_server_process_stats',
  title: 'Get server process statistics',
  description:
    "A running server's process figures from the engine that runs it: CPU percent of one core (as docker stats), memory, " +
    "memory_percent (of the host's memory, as the memory_percent limit), block I/O bytes, tasks (threads), " +
    "the MCP server's own PID (the node process under the container's init) and uptime, and the open MCP sessions the child reports.",
  inputSchema: serverIdOnlySchema,
  annotations: { readOnlyHint: true },
  async handler({ server_id }, { services }) {
    const record = services.queries.resolve(server_id);
    return { status: 'success', server_id: record.id, process: await services.stats.process(record) };
  },
};
