import type { ActionResult, ServerLifecycle } from '../../servers/server-lifecycle.js';
import { serverIdParam, type ForgeTool } from '../forge-tool.js';

type Action = 'start' | 'stop' | 'restart' | 'delete';

/** The per-server action tools (start/stop/restart/delete_server) differ only in words and the action. */
export function serverActionTool(
  action: Action,
  title: string,
  description: string,
  annotations: ForgeTool['annotations'],
): ForgeTool<{ server_id: string }> {
  return {
    name: `${action}_server`,
    title,
    description,
    inputSchema: {
      type: 'object',
      properties: { server_id: serverIdParam },
      required: ['server_id'],
      additionalProperties: false,
    },
    annotations,
    async handler({ server_id }, { services }) {
      const run: (ref: string) => Promise<ActionResult> = services.lifecycle[action].bind(services.lifecycle as ServerLifecycle);
      return { ...(await run(server_id)) };
    },
  };
}
