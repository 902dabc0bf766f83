import { serverActionTool } from './server-action-tool.js';

/** start_server (api-spec). */
export const startServerTool = serverActionTool(
  'start',
  'Start an MCP server',
  "Starts an existing server's container and waits until it answers MCP. A server whose container is gone gets a new one.",
  { destructiveHint: false, idempotentHint: true },
);
