import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';

/**
 * Counts a client's tools/list_changed notifications; `next(done)` waits for the next one
 * after which the client's listed tools satisfy `done` (each notification lists again).
 */
export function listChanges(client: Client) {
  let seen = 0;
  const waiters = new Set<() => void>();
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    seen++;
    for (const wake of [...waiters]) wake();
  });
  return {
    get count() {
      return seen;
    },
    /** Resolves with the tools once a notification came and the list (read after it) satisfies `done`. */
    async next(done: (tools: Tool[]) => boolean, what: string, timeoutMs = 30_000): Promise<Tool[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const arrived = await new Promise<boolean>((resolve) => {
          const wake = () => (waiters.delete(wake), clearTimeout(timer), resolve(true));
          const timer = setTimeout(() => (waiters.delete(wake), resolve(false)), Math.max(0, deadline - Date.now()));
          waiters.add(wake);
        });
        if (!arrived) throw new Error(`no tools/list_changed within ${timeoutMs} ms that led to: ${what}`);
        const { tools } = await client.listTools();
        if (done(tools)) return tools;
      }
    },
  };
}
