import { serverIdOnlySchema, type ForgeTool } from '../forge-tool.js';

/** get_resource_limits: a server's stored limits (null: none). */
export const getResourceLimitsTool: ForgeTool<{ server_id: string }> = {
  name: 'get_resource_limits',
  title: 'Get resource limits',
  description:
    "A server's resource limits (null: none). cpu_percent (of one core), memory_bytes and memory_percent (of the host) " +
    'are cgroup limits the engine enforces; io_read_bytes, io_write_bytes (since the container started) and connections are watched by the monitor.',
  inputSchema: serverIdOnlySchema,
  annotations: { readOnlyHint: true },
  async handler({ server_id }, { services }) {
    const { record, limits } = services.limits.get(server_id);
    return { status: 'success', server_id: record.id, limits };
  },
};
