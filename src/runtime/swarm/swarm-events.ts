import type Dockerode from 'dockerode';
import type { ChildEvent, Subscription } from '../child-stats.js';
import { followContainerEvents } from '../docker/docker-events.js';
import { docker } from '../docker/docker-errors.js';

const SERVICE_ID = 'com.docker.swarm.service.id';

/**
 * Child events on a swarm: the container events of task containers on this daemon (they carry the
 * child's labels, ContainerSpec.Labels) with `childId` the service's id. A task container's removal
 * is the child's `destroy` only once its service is gone (a replaced task's container goes too).
 * Tasks on other nodes send nothing here: the forge sees them change by inspecting (status, reconcile).
 */
export function followSwarmEvents(
  api: Dockerode,
  labelFilters: string[],
  onEvent: (event: ChildEvent) => void,
  onEnd: (err: Error | null) => void,
  since?: Date,
): Promise<Subscription> {
  const serviceGone = (id: string) => docker(`inspect service ${id}`, () => api.getService(id).inspect().then(() => false), true);
  return followContainerEvents(
    api,
    labelFilters,
    (event) => {
      const serviceId = event.labels[SERVICE_ID];
      if (!serviceId) return;
      const forService = { ...event, childId: serviceId };
      if (event.action !== 'destroy') return onEvent(forService);
      void serviceGone(serviceId).then((gone) => gone && onEvent(forService), () => undefined);
    },
    onEnd,
    since,
  );
}
