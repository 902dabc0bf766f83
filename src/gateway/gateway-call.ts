import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolRequest, CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logging/logger.js';
import type { AuditLog } from '../security/audit-log.js';
import type { Caller } from '../security/caller.js';
import type { Route } from './catalog.js';
import { UnreachableError, type ChildPool } from './child-pool.js';
import type { GatewaySession } from './gateway.js';
import type { Router } from './router.js';
import type { Target } from './targets.js';

export type CallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const failure = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

/**
 * One tools/call through the gateway: refused for `read` callers, sent to a member with the
 * caller's progress token and abort signal, the child's result returned as it came. Audited
 * with who, server, tool, status and time, never the arguments.
 */
export async function gatewayCall(
  deps: { route(name: string): Route | undefined; target(prefix: string): Target | undefined; router: Router; pool: ChildPool; audit: AuditLog; log: Logger },
  params: CallToolRequest['params'],
  extra: CallExtra,
  caller: Caller,
  session?: GatewaySession,
): Promise<CallToolResult> {
  const started = Date.now();
  const route = deps.route(params.name);
  let status = 'success';
  let server = route?.prefix ?? null;
  let result: CallToolResult;
  try {
    if (!route) {
      status = 'not_found';
      result = failure(`unknown tool: ${params.name} (its server may have stopped; list the tools again)`);
    } else if (caller.role === 'read') {
      status = 'forbidden';
      result = failure(`token "${caller.name}" has the read role; calling ${params.name} needs the use or admin role`);
    } else {
      session?.used.add(route.prefix);
      const target = deps.target(route.prefix);
      const progressToken = params._meta?.progressToken;
      const onprogress =
        progressToken === undefined
          ? undefined
          : (p: { progress: number; total?: number; message?: string }) =>
              void extra.sendNotification({ method: 'notifications/progress', params: { ...p, progressToken } }).catch(() => undefined);
      const forwarded = { name: route.name, arguments: params.arguments };
      result = await deps.router.run(route.prefix, target?.members ?? [], (member) => {
        server = member.name;
        return deps.pool.callTool(member, forwarded, { signal: extra.signal, ...(onprogress ? { onprogress } : {}) });
      });
      if (result.isError) status = 'tool_error';
    }
  } catch (err) {
    if (!(err instanceof UnreachableError)) {
      deps.audit.record({ actor: caller.name, role: caller.role, action: 'gateway_call', server, tool: route?.name ?? params.name, arguments: null, status: 'error', message: (err as Error).message, ms: Date.now() - started });
      throw err;
    }
    status = 'unreachable';
    result = failure(`${err.message}; it is out of the tool list until it answers again`);
  }
  const ms = Date.now() - started;
  deps.audit.record({ actor: caller.name, role: caller.role, action: 'gateway_call', server, tool: route?.name ?? params.name, arguments: null, status, ms });
  deps.log.debug({ caller: caller.name, server, tool: params.name, status, ms }, 'gateway call');
  return result;
}
