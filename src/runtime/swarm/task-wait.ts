import { setTimeout as delay } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import { RuntimeError } from '../runtime.js';
import { toRuntimeError } from '../docker/docker-errors.js';
import { tasksOf } from './task-info.js';

/** Longest wait for a new task to run: an image pull on a node that lacks it included. */
const TASK_START_MS = 120_000;

/** Polls `done` (every 100 ms) until it holds; RuntimeError `failed` after `timeoutMs`. */
export async function waitUntil(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new RuntimeError(`${what}: not done within ${timeoutMs} ms`, 'failed');
    await delay(100);
  }
}

/** How long a task may wait for a host port held by no task of its own before that is an error. */
const PORT_WAIT_MS = 3_000;
const LIVE = ['new', 'allocated', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running'];

/**
 * Waits for a task of the service that was not there before (`before`: task ids) to run. A task
 * that fails or is rejected first throws its error (a host port taken outside Swarm becomes
 * `port_in_use`, as on the docker runtime). The scheduler holds a task back while the task it
 * replaces still has the port (a stop-first update); held back with none of its own left, the port
 * is someone else's: `port_in_use` too.
 */
export async function settle(api: Dockerode, serviceId: string, before: Set<string>, what: string): Promise<void> {
  let portHeldSince: number | null = null;
  await waitUntil(what, TASK_START_MS, async () => {
    const tasks = await tasksOf(api, serviceId);
    const fresh = tasks.filter((t) => !before.has(t.ID));
    // A child that ran and exited (at once, perhaps) is the readiness wait's to report, with its logs.
    if (fresh.some((t) => t.Status?.State === 'running' || t.Status?.State === 'complete' || /^task: non-zero exit/.test(t.Status?.Err ?? ''))) return true;
    const failed = fresh.find((t) => ['failed', 'rejected'].includes(t.Status?.State));
    if (failed) throw toRuntimeError(new Error(failed.Status?.Err ?? failed.Status?.Message ?? failed.Status?.State), what);
    const held = fresh.find((t) => /port.*in use/i.test(t.Status?.Err ?? ''));
    const ownLive = tasks.some((t) => before.has(t.ID) && LIVE.includes(t.Status?.State));
    portHeldSince = held && !ownLive ? (portHeldSince ?? Date.now()) : null;
    if (held && portHeldSince !== null && Date.now() - portHeldSince > PORT_WAIT_MS) {
      throw new RuntimeError(`${what}: ${held.Status.Err}`, 'port_in_use');
    }
    return false;
  });
}
