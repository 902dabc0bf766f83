import { parseArgs } from 'node:util';
import { FORGE_VERSION } from '../version.js';
import { CliError, UsageError } from './cli-error.js';
import { COMMANDS, helpText, type CommandContext } from './commands.js';
import { McpConnection } from './mcp-connection.js';

export const DEFAULT_URL = 'http://127.0.0.1:9000';
/** Docker build lines about intermediate containers and layer ids: not worth a person's attention. */
const BUILD_NOISE = /^(--->|Removing intermediate container)/;

/** Where the CLI writes; the process's streams in the bin. */
export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  port: { type: 'string' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  details: { type: 'boolean' },
  type: { type: 'string' },
  lines: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/**
 * Runs one command line; resolves to the exit status (0 ok, 1 error, 2 usage). The forge's bearer
 * token comes from --token or `defaults.token` (MCP_FORGE_TOKEN); it is never sent to a child (--port).
 */
export async function runCli(argv: string[], io: CliStreams, defaults: { token?: string } = {}): Promise<number> {
  let json = argv.includes('--json');
  let connection: McpConnection | undefined;
  try {
    const { values, positionals } = parse(argv);
    json = values.json ?? false;
    if (values.help) return io.stdout.write(`${helpText()}\n`), 0;
    if (values.version) return io.stdout.write(`mcp-forge ${FORGE_VERSION}\n`), 0;
    const [name, ...words] = positionals;
    if (!name) throw new UsageError('no command given (mcp-forge --help lists them)');
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    for (const option of ['details', 'type', 'lines'] as const) {
      if (values[option] !== undefined && !command.options?.includes(option)) throw new UsageError(`--${option} does not apply to ${name}`);
    }
    const url = targetUrl(values.url, values.port);
    if (values.token !== undefined && values.port !== undefined) throw new UsageError('--token is for the forge; --port talks to a child');
    const token = values.port === undefined ? (values.token ?? defaults.token) : undefined;
    const timeoutS = values.timeout === undefined ? 300 : Number(values.timeout);
    if (!(timeoutS > 0)) throw new UsageError('--timeout takes a number of seconds above 0');
    const ctx: CommandContext = {
      connection: async () => (connection ??= await McpConnection.open(url, timeoutS * 1000, token)),
      options: { details: values.details, type: values.type, lines: values.lines },
      progress: (message) => {
        if (json) return;
        for (const line of message.split('\n').map((l) => l.trim())) if (line && !BUILD_NOISE.test(line)) io.stderr.write(`… ${line}\n`);
      },
    };
    const output = await command.run(ctx, words);
    io.stdout.write(json ? `${JSON.stringify(output.json, null, 2)}\n` : output.text ? `${output.text}\n` : '');
    return 0;
  } catch (err) {
    const failure = err instanceof CliError ? err : new CliError('client_error', (err as Error).message ?? String(err));
    if (json && !(failure instanceof UsageError)) {
      const body = failure.body ?? { status: 'error', error: { code: failure.code, message: failure.message } };
      io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      io.stderr.write(`error: ${failure.code}: ${failure.message}\n`);
    }
    return failure.exitCode;
  } finally {
    await connection?.close();
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function targetUrl(url: string | undefined, port: string | undefined): string {
  if (url !== undefined && port !== undefined) throw new UsageError('give --url or --port, not both');
  if (port === undefined) return url ?? DEFAULT_URL;
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw new UsageError(`--port takes a port number, got "${port}"`);
  return `http://127.0.0.1:${port}`;
}
