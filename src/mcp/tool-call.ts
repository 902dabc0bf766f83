import { toErrorBody, ForgeError, type ErrorBody } from '../errors/forge-error.js';
import type { Caller } from '../security/caller.js';
import type { ForgeServices } from './forge-tool.js';
import type { ToolTable } from './tool-table.js';

/**
 * One tool call as every front door makes it (MCP tools/call, the dashboard's /api/tools): the
 * role check, validation, the handler, logging, metrics and the audit record. Never throws:
 * failures come back as the API's error body. `quiet`: success is logged at debug (the dashboard's feed).
 */
export async function callTool(
  table: ToolTable,
  services: ForgeServices,
  caller: Caller,
  name: string,
  args: unknown,
  options: { progress?: (message: string) => void; quiet?: boolean } = {},
): Promise<Record<string, unknown>> {
  const started = Date.now();
  const changesState = !table.isReadOnly(name);
  let body: Record<string, unknown>;
  try {
    // Refused before validation, so a read token learns nothing about arguments it may not use.
    if (changesState && caller.role !== 'admin' && table.has(name)) {
      throw new ForgeError('forbidden', `token "${caller.name}" has the ${caller.role} role; ${name} needs admin`);
    }
    const checked = table.checked(name, args);
    body = await checked.tool.handler(checked.args, { services, caller, progress: options.progress ?? (() => undefined) });
    services.log[options.quiet ? 'debug' : 'info']({ tool: name, caller: caller.name, ms: Date.now() - started }, 'tool call');
  } catch (err) {
    const error = toErrorBody(err);
    const level = error.error.code === 'server_error' ? 'error' : 'info';
    services.log[level]({ tool: name, caller: caller.name, code: error.error.code, err, ms: Date.now() - started }, 'tool call failed');
    body = error as unknown as Record<string, unknown>;
  }
  if (table.has(name)) {
    const outcome = body.status === 'error' ? (body as unknown as ErrorBody).error.code : String(body.status ?? 'success');
    services.metrics?.observeToolCall(name, outcome, (Date.now() - started) / 1000);
  }
  if (changesState) {
    const failed = body.status === 'error' ? (body as unknown as ErrorBody).error : undefined;
    services.audit.record({
      actor: caller.name,
      role: caller.role,
      action: name,
      arguments: (args as Record<string, unknown> | undefined) ?? {},
      status: String(body.status),
      ...(failed ? { code: failed.code, message: failed.message } : {}),
      ms: Date.now() - started,
    });
  }
  return body;
}
