import { serverActionTool } from './server-action-tool.js';

/** delete_server (api-spec). */
export const deleteServerTool = serverActionTool(
  'delete',
  'Delete an MCP server',
  "Deletes a server: stops and removes its container and its registry entry.",
  { destructiveHint: true, idempotentHint: false },
);
