import { serverActionTool } from './server-action-tool.js';

/** restart_server (api-spec). */
export const restartServerTool = serverActionTool(
  'restart',
  'Restart an MCP server',
  "Restarts a running server, or starts it if it is not running, and waits until it answers MCP.",
  { destructiveHint: false, idempotentHint: false },
);
