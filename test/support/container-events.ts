import { docker } from './docker-leaks.js';
import { LABELS } from '../../src/runtime/labels.js';

/** One Docker container event as the daemon reported it. */
export interface ChildEvent {
  action: string;
  name: string;
  time: number;
}

/**
 * The container events Docker recorded for one forge instance's children between `sinceMs`
 * and now: what really happened on the daemon, independent of what the forge says.
 */
export async function containerEvents(instance: string, sinceMs: number): Promise<ChildEvent[]> {
  const stream = (await docker.getEvents({
    since: Math.floor(sinceMs / 1000) - 1,
    until: Math.ceil(Date.now() / 1000) + 1,
    filters: { type: ['container'], label: [`${LABELS.instance}=${instance}`] },
  })) as NodeJS.ReadableStream;
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .map((e) => ({ action: e.Action as string, name: e.Actor?.Attributes?.name as string, time: e.timeNano / 1e6 }))
    .filter((e) => e.time >= sinceMs - 1000);
}
