import { ForgeError } from '../../errors/forge-error.js';
import type { ForgeResourceTemplate } from '../forge-resource.js';

/** servers://{server_id}/process: the get_server_process_stats figures; `process` null when not running. */
export const serverProcessResource: ForgeResourceTemplate = {
  uriTemplate: 'servers://{server_id}/process',
  name: 'server-process',
  title: 'Server process',
  description: "A server's live process figures from the engine that runs it (CPU, memory, I/O, threads, PID, uptime, connections) as JSON.",
  async read({ server_id }, services) {
    const record = services.queries.resolve(server_id!);
    try {
      return { server_id: record.id, running: true, process: await services.stats.process(record) };
    } catch (err) {
      if (err instanceof ForgeError && err.code === 'server_not_running') return { server_id: record.id, running: false, process: null };
      throw err;
    }
  },
  list: async (services) => (await services.queries.list()).map((s) => ({ uri: `servers://${s.id}/process`, name: `${s.name} process` })),
};
