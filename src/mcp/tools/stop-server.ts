import { serverActionTool } from './server-action-tool.js';

/** stop_server (api-spec). */
export const stopServerTool = serverActionTool(
  'stop',
  'Stop an MCP server',
  "Stops a running server's container (its state is kept; start_server resumes it).",
  { destructiveHint: false, idempotentHint: true },
);
