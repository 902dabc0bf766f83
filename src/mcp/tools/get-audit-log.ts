import type { ForgeTool } from '../forge-tool.js';

/** get_audit_log: the newest state-changing calls (who, what, when, redacted arguments, result). */
export const getAuditLogTool: ForgeTool<{ max_lines?: number }> = {
  name: 'get_audit_log',
  title: 'Read the audit log',
  description: 'Returns the newest audit entries: every state-changing call with its caller, time, arguments (secrets redacted) and result.',
  inputSchema: {
    type: 'object',
    properties: { max_lines: { type: 'integer', minimum: 1, maximum: 1000, default: 50, description: 'Entries to return (newest last).' } },
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true },
  async handler({ max_lines = 50 }, { services }) {
    const entries = services.audit.tail(max_lines);
    return { status: 'success', count: entries.length, entries };
  },
};
