import { LIMIT_NAMES } from '../../servers/limit-rules.js';
import { serverIdParam, type ForgeTool } from '../forge-tool.js';

/** set_resource_limit: applied to the child (live, or by replacing it: `restarted`) and stored; null removes a limit. */
export const setResourceLimitTool: ForgeTool<{ server_id: string; limit_name: string; limit_value: number | null }> = {
  name: 'set_resource_limit',
  title: 'Set a resource limit',
  description:
    `Sets one limit of a server: ${LIMIT_NAMES.join(', ')}. CPU and memory limits are applied to the server's child at once ` +
    'and kept for re-created children: on the docker runtime live, without a restart; on swarm the task is replaced ' +
    '(the answer says restarted: true; open sessions end). The others are watched by the monitor and raise ' +
    'limit_exceeded alerts. limit_value null removes the limit.',
  inputSchema: {
    type: 'object',
    properties: {
      server_id: serverIdParam,
      limit_name: { type: 'string', minLength: 1, maxLength: 64, description: `One of: ${LIMIT_NAMES.join(', ')}.` },
      limit_value: { type: ['number', 'null'], description: 'The new value in the limit\'s unit, or null to remove the limit.' },
    },
    required: ['server_id', 'limit_name', 'limit_value'],
    additionalProperties: false,
  },
  annotations: { destructiveHint: false, idempotentHint: true },
  async handler({ server_id, limit_name, limit_value }, { services }) {
    const change = await services.limits.set(server_id, limit_name, limit_value);
    const where = change.restarted ? 'applied by restarting the server and stored' : change.applied ? 'applied to the container and stored' : 'stored';
    return {
      status: 'success',
      server_id: change.record.id,
      limit_name: change.name,
      limit_value: change.value,
      restarted: change.restarted,
      message: `Resource limit updated successfully (${change.value === null ? 'removed' : where})`,
    };
  },
};
