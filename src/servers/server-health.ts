import type { Alert } from '../monitor/alert-log.js';
import type { ServerRecord } from '../registry/server-record.js';
import type { ChildInfo, Runtime } from '../runtime/runtime.js';
import { isOwnChild } from '../runtime/labels.js';

/** What the monitor adds to the engine's view of a server; NO_HEALTH when there is no monitor. */
export interface ServerHealthSource {
  /** Why the server counts as crash-looping, or null when it does not. */
  crashLoop(serverId: string): string | null;
  /** Its newest alerts, newest first. */
  recentAlerts(serverId: string, max: number): Alert[];
}

export const NO_HEALTH: ServerHealthSource = { crashLoop: () => null, recentAlerts: () => [] };

/** The container named for the record, if it is this forge instance's child for that record; else null. */
export async function ownedContainer(runtime: Runtime, record: ServerRecord, instance: string): Promise<ChildInfo | null> {
  const found = await runtime.children.inspect(record.container_name);
  return found && isOwnChild(found.labels, record.id, instance) ? found : null;
}
