import type { ForgeTool } from '../forge-tool.js';
import { createServerTool } from './create-server.js';
import { deleteServerTool } from './delete-server.js';
import { getAlertsTool } from './get-alerts.js';
import { getAuditLogTool } from './get-audit-log.js';
import { getConfigTool } from './get-config.js';
import { getResourceLimitsTool } from './get-resource-limits.js';
import { getServerLogsTool } from './get-server-logs.js';
import { getServerProcessHistoryTool } from './get-server-process-history.js';
import { getServerProcessStatsTool } from './get-server-process-stats.js';
import { getSystemStatsTool } from './get-system-stats.js';
import { listCapabilitiesTool } from './list-capabilities.js';
import { listServersTool } from './list-servers.js';
import { manageAutoScalingTool } from './manage-auto-scaling.js';
import { restartServerTool } from './restart-server.js';
import { setConfigTool } from './set-config.js';
import { setResourceLimitTool } from './set-resource-limit.js';
import { startServerTool } from './start-server.js';
import { stopServerTool } from './stop-server.js';

/** Every tool the forge serves, in the order tools/list shows them. */
export const forgeTools: ForgeTool[] = [
  createServerTool,
  startServerTool,
  stopServerTool,
  restartServerTool,
  deleteServerTool,
  listServersTool,
  getAuditLogTool,
  getConfigTool,
  setConfigTool,
  listCapabilitiesTool,
  getServerLogsTool,
  getServerProcessStatsTool,
  getServerProcessHistoryTool,
  getSystemStatsTool,
  getResourceLimitsTool,
  setResourceLimitTool,
  getAlertsTool,
  manageAutoScalingTool,
];
