import type { Subscription } from '../child-stats.js';

/**
 * Follows a newline-delimited JSON stream from the engine (stats, events): `onObject` gets each
 * object, `onEnd` is called once when the stream ends or fails, unless `close()` ended it first.
 */
export function followJsonLines(
  stream: NodeJS.ReadableStream,
  onObject: (value: unknown) => void,
  onEnd: (err: Error | null) => void,
): Subscription {
  let pending = '';
  let closed = false;
  let ended = false;
  const finish = (err: Error | null) => {
    if (ended) return;
    ended = true;
    if (!closed) onEnd(err);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (!line) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue; // a damaged line costs one reading, not the stream
      }
      onObject(value);
    }
  });
  stream.on('error', (err: Error) => finish(err));
  stream.on('end', () => finish(null));
  stream.on('close', () => finish(null));
  return {
    close() {
      closed = true;
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    },
  };
}
