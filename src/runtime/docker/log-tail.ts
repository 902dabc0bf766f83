import type Dockerode from 'dockerode';
import { docker } from './docker-errors.js';

/** Most bytes of a container's log one read takes in; reading stops there. */
export const LOG_READ_MAX_BYTES = 1024 * 1024;
/** A longer line (one not written by the child runtime, which bounds its own) is cut to this. */
export const LOG_LINE_MAX_BYTES = 16 * 1024;

/** Whose log: a container's (`/containers/<id>/logs`) or a swarm service's, all its tasks (`/services/<id>/logs`). */
export type LogSource = 'containers' | 'services';

type Lines = { stdout: string[]; stderr: string[] };
interface Read extends Lines {
  /** The whole answer fitted under the byte cap. */
  complete: boolean;
  /** Lines of both streams together (Docker's `tail` counts them together). */
  total: number;
}

/**
 * The last `tail` lines of each stream, bounded in bytes: Docker's `tail` counts both streams
 * together, so it grows (×4) until each stream has its share, the whole log was read, or a
 * read would pass `maxBytes`; then the newest read that fitted is the answer. A first read
 * already past the cap is asked again for fewer lines.
 */
export async function logTail(api: Dockerode, id: string, tail: number, maxBytes = LOG_READ_MAX_BYTES, source: LogSource = 'containers'): Promise<Lines> {
  let best: Read | null = null;
  for (let asked = Math.max(100, tail * 2); ; ) {
    const read = await readOnce(api, `${source}/${id}`, asked, maxBytes);
    if (!read.complete) {
      if (best || asked <= 1) return newest(best ?? read, tail);
      asked = Math.floor(asked / 2);
      continue;
    }
    best = read;
    if (read.total < asked || (read.stdout.length >= tail && read.stderr.length >= tail)) return newest(read, tail);
    asked *= 4;
  }
}

const newest = (read: Lines, tail: number): Lines => ({ stdout: read.stdout.slice(-tail), stderr: read.stderr.slice(-tail) });

/** One `docker logs --tail` (`docker service logs` for `services/<id>`), read as a stream and abandoned once past `maxBytes`. */
async function readOnce(api: Dockerode, object: string, tail: number, maxBytes: number): Promise<Read> {
  const stream = await docker<NodeJS.ReadableStream & { destroy(): void }>(`logs of ${object}`, () =>
    new Promise((resolve, reject) =>
      api.modem.dial(
        {
          path: `/${object}/logs?`,
          method: 'GET',
          isStream: true,
          statusCodes: { 200: true, 404: `no such ${object.split('/')[0]!.replace(/s$/, '')}`, 500: 'server error', 503: 'node is not part of a swarm' },
          options: { stdout: true, stderr: true, follow: false, tail },
        },
        (err, s) => (err ? reject(err) : resolve(s as NodeJS.ReadableStream & { destroy(): void })),
      ),
    ),
  );
  return new Promise((resolve, reject) => {
    const parts: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
    let pending: Buffer = Buffer.alloc(0);
    let bytes = 0;
    let done = false;
    const finish = (complete: boolean) => {
      if (done) return;
      done = true;
      stream.destroy();
      const stdout = toLines(parts.stdout, complete);
      const stderr = toLines(parts.stderr, complete);
      resolve({ stdout, stderr, complete, total: stdout.length + stderr.length });
    };
    // Docker's multiplexed frames: 1 byte stream (1 stdout, 2 stderr), 3 zero bytes, 4 bytes size, then the payload.
    stream.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 8) {
        const size = pending.readUInt32BE(4);
        if (pending.length < 8 + size) break;
        (pending[0] === 2 ? parts.stderr : parts.stdout).push(pending.subarray(8, 8 + size));
        bytes += size;
        pending = pending.subarray(8 + size);
      }
      if (bytes + pending.length > maxBytes) finish(false);
    });
    stream.on('end', () => finish(true));
    stream.on('error', (err) => (done ? undefined : (done = true, reject(err))));
  });
}

/** Lines of one stream; past the cap the last one may be cut off mid-line, so it is dropped. */
function toLines(parts: Buffer[], complete: boolean): string[] {
  const lines = Buffer.concat(parts).toString('utf8').split('\n');
  if (!complete || lines.at(-1) === '') lines.pop();
  return lines.filter((l) => l.length > 0).map((l) => (Buffer.byteLength(l) > LOG_LINE_MAX_BYTES ? `${Buffer.from(l).subarray(0, LOG_LINE_MAX_BYTES).toString('utf8')}… [line cut at ${LOG_LINE_MAX_BYTES} bytes]` : l));
}
