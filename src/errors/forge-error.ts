/** The API's error codes (api-spec "Error Handling", plus forbidden and unauthorized for tokens); docs/api.md documents each. */
export const ERROR_CODES = [
  'invalid_request',
  'not_found',
  'server_error',
  'invalid_id',
  'server_not_running',
  'limit_exceeded',
  /** A valid token whose role does not allow the call. */
  'forbidden',
  /** No or a wrong token (HTTP 401, never inside a session). */
  'unauthorized',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The wire format of every failed call. */
export interface ErrorBody {
  status: 'error';
  error: { code: ErrorCode; message: string };
}

/** The one error type that crosses the API boundary: a code from the spec and a message for people. */
export class ForgeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ForgeError';
  }

  static invalid(message: string): ForgeError {
    return new ForgeError('invalid_request', message);
  }

  static notFound(message: string): ForgeError {
    return new ForgeError('not_found', message);
  }
}

/** Maps any thrown value to the wire format once; unexpected errors become `server_error`. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof ForgeError) return { status: 'error', error: { code: err.code, message: err.message } };
  const message = err instanceof Error ? err.message : String(err);
  return { status: 'error', error: { code: 'server_error', message } };
}
