import type Dockerode from 'dockerode';
import type { ChildEvent, Subscription } from '../child-stats.js';
import { docker } from './docker-errors.js';
import { EVENT_ACTIONS, toContainerEvent } from './docker-stats.js';
import { followJsonLines } from './json-lines.js';

/** Subscribes to the engine's container events for the containers carrying every label filter. */
export async function followContainerEvents(
  api: Dockerode,
  labelFilters: string[],
  onEvent: (event: ChildEvent) => void,
  onEnd: (err: Error | null) => void,
  since?: Date,
): Promise<Subscription> {
  const options = {
    filters: { type: ['container' as const], event: EVENT_ACTIONS, label: labelFilters },
    // Whole seconds: the engine replays from there, and event keys drop what was already seen.
    ...(since ? { since: Math.floor(since.getTime() / 1000) } : {}),
  };
  const stream = await docker('follow events', () => api.getEvents(options));
  return followJsonLines(
    stream,
    (raw) => {
      const event = toContainerEvent(raw as Record<string, unknown>);
      if (event) onEvent(event);
    },
    onEnd,
  );
}
