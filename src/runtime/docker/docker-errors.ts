import { RuntimeError } from '../runtime.js';

/** Turns a dockerode error into a RuntimeError whose `reason` callers can branch on. */
export function toRuntimeError(err: unknown, what: string): RuntimeError {
  if (err instanceof RuntimeError) return err;
  const e = err as { statusCode?: number; json?: { message?: string }; message?: string; code?: string };
  const detail = e?.json?.message ?? e?.message ?? String(err);
  if (e?.code === 'ENOENT' || e?.code === 'ECONNREFUSED' || e?.code === 'EACCES') {
    return new RuntimeError(`${what}: Docker engine unavailable (${detail})`, 'unavailable', { cause: err });
  }
  if (e?.statusCode === 404) return new RuntimeError(`${what}: ${detail}`, 'not_found', { cause: err });
  if (/port is already allocated|address already in use/i.test(detail)) {
    return new RuntimeError(`${what}: ${detail}`, 'port_in_use', { cause: err });
  }
  if (e?.statusCode === 409) return new RuntimeError(`${what}: ${detail}`, 'conflict', { cause: err });
  return new RuntimeError(`${what}: ${detail}`, 'failed', { cause: err });
}

/** Runs `fn`, mapping its failure; `notFound` is returned instead of throwing a 404. */
export async function docker<T>(what: string, fn: () => Promise<T>): Promise<T>;
export async function docker<T, U>(what: string, fn: () => Promise<T>, notFound: U): Promise<T | U>;
export async function docker<T, U>(what: string, fn: () => Promise<T>, ...notFound: [U?]): Promise<T | U> {
  try {
    return await fn();
  } catch (err) {
    const mapped = toRuntimeError(err, what);
    if (mapped.reason === 'not_found' && notFound.length > 0) return notFound[0] as U;
    throw mapped;
  }
}
