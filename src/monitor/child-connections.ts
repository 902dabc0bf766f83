import type { ForgeConfig } from '../config/forge-config.js';
import type { ServerRecord } from '../registry/server-record.js';
import { childUrl } from '../servers/child-spec.js';
import { childAuthHeaders } from '../servers/child-auth-headers.js';

/** The child's open MCP sessions as its GET /healthz reports them; null when it does not answer in time. */
export async function childConnections(record: ServerRecord, config: ForgeConfig, timeoutMs = 2000): Promise<number | null> {
  try {
    const res = await fetch(`${childUrl(record, config)}/healthz`, {
      headers: childAuthHeaders(record, config),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { connections?: unknown };
    return typeof body.connections === 'number' ? body.connections : null;
  } catch {
    return null;
  }
}
