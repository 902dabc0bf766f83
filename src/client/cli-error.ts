/** A failure the CLI reports as `error: <code>: <message>` and turns into its exit status. */
export class CliError extends Error {
  constructor(
    /** An API error code (invalid_request, not_found, ...) or a client-side one (connection_failed, tool_error). */
    readonly code: string,
    message: string,
    /** The API's error body when the forge sent one (printed as is with --json). */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'CliError';
  }

  /** 2 for a wrong command line, 1 for everything else. */
  get exitCode(): number {
    return 1;
  }
}

/** The command line itself is wrong: exit status 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }

  override get exitCode(): number {
    return 2;
  }
}
