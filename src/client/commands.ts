import { CliError, UsageError } from './cli-error.js';
import type { McpConnection } from './mcp-connection.js';
import { renderServer, renderTools, TOOL_RENDERERS } from './render.js';
import { formatPairs, formatTable } from './table.js';
import { parseAssignments } from './values.js';

/** What a command produces: the JSON printed with --json, and the text printed otherwise. */
export interface Output {
  json: unknown;
  text: string;
}

/** What commands get from the entry point. */
export interface CommandContext {
  /** The MCP session (opened on first use, closed by the entry point). */
  connection(): Promise<McpConnection>;
  options: { details?: boolean; type?: string; lines?: string };
  /** Progress of long actions (image builds); shown on stderr in human mode. */
  progress(message: string): void;
}

/** One CLI command: its usage line, a summary for --help, and what it does. */
export interface Command {
  usage: string;
  summary: string;
  /** Command-specific options it accepts (besides the global ones). */
  options?: Array<'details' | 'type' | 'lines'>;
  run(ctx: CommandContext, words: string[]): Promise<Output>;
}

/** Calls a tool; an API error (status "error") or a child's isError result becomes a CliError. */
export async function runTool(ctx: CommandContext, name: string, args: Record<string, unknown>, progress = false): Promise<Output> {
  const { result, body } = await (await ctx.connection()).callTool(name, args, progress ? ctx.progress : undefined);
  const texts = result.content.flatMap((c) => (c.type === 'text' ? [c.text] : []));
  if (body?.status === 'error') {
    const error = body.error as { code: string; message: string };
    throw new CliError(error.code, error.message, body);
  }
  if (result.isError) throw new CliError('tool_error', texts.join('\n') || `${name} failed`);
  const render = TOOL_RENDERERS[name];
  const text = body ? (render ? render(body, args) : JSON.stringify(body, null, 2)) : texts.join('\n');
  return { json: body ?? result, text };
}

function serverRef(words: string[], usage: string): string {
  if (words.length !== 1 || !words[0]) throw new UsageError(`usage: mcp-forge ${usage}`);
  return words[0];
}

const action = (name: 'start' | 'stop' | 'restart' | 'delete', summary: string): Command => ({
  usage: `${name} <id-or-name>`,
  summary,
  run: (ctx, words) => runTool(ctx, `${name}_server`, { server_id: serverRef(words, `${name} <id-or-name>`) }, name !== 'stop'),
});

/** Every command, in the order `--help` lists them. */
export const COMMANDS: Record<string, Command> = {
  meta: {
    usage: 'meta',
    summary: "the forge's versions and tools",
    async run(ctx) {
      const conn = await ctx.connection();
      const server = conn.client.getServerVersion();
      const versions = (await conn.readJson('system://version').catch(() => null)) as Record<string, any> | null;
      const tools = await conn.listTools();
      const docker = versions?.docker;
      const pairs: Array<[string, unknown]> = [
        ['server', `${server?.name} ${server?.version}`],
        ['url', conn.endpoint.href],
        ['api version', versions?.api_version],
        ['node', versions?.node_version],
        ['docker', docker?.version ? `${docker.version} (API ${docker.api_version}, ${docker.os}/${docker.arch})` : docker?.error],
      ];
      return {
        json: { server, url: conn.endpoint.href, versions, tools: tools.map((t) => t.name) },
        text: `${formatPairs(pairs.filter(([, v]) => v !== undefined))}\n\n${renderTools(tools)}`,
      };
    },
  },
  create: {
    usage: 'create [key=value ...]',
    summary: 'create a server: name= description= capabilities=[..] handlers=[..] options={..}',
    run: (ctx, words) => runTool(ctx, 'create_server', parseAssignments(words), true),
  },
  list: {
    usage: 'list [--details]',
    summary: 'list servers',
    options: ['details'],
    run(ctx, words) {
      if (words.length) throw new UsageError('usage: mcp-forge list [--details]');
      return runTool(ctx, 'list_servers', ctx.options.details ? { include_details: true } : {});
    },
  },
  start: action('start', 'start a server'),
  stop: action('stop', 'stop a server'),
  restart: action('restart', 'restart a server'),
  info: {
    usage: 'info <id-or-name>',
    summary: "a server's details and latest logs",
    async run(ctx, words) {
      const ref = serverRef(words, 'info <id-or-name>');
      const server = await (await ctx.connection()).readJson(`servers://${encodeURIComponent(ref)}/info`);
      return { json: server, text: renderServer(server) };
    },
  },
  stats: {
    usage: 'stats <id-or-name>',
    summary: "a server's process statistics",
    run: (ctx, words) => runTool(ctx, 'get_server_process_stats', { server_id: serverRef(words, 'stats <id-or-name>') }),
  },
  logs: {
    usage: 'logs <id-or-name> [--type stdout|stderr|all] [--lines N]',
    summary: "a server's logs",
    options: ['type', 'lines'],
    run(ctx, words) {
      const args: Record<string, unknown> = { server_id: serverRef(words, COMMANDS.logs!.usage) };
      const { type, lines } = ctx.options;
      if (type !== undefined && !['stdout', 'stderr', 'all'].includes(type)) throw new UsageError('--type takes stdout, stderr or all');
      if (lines !== undefined && !/^[1-9]\d*$/.test(lines)) throw new UsageError('--lines takes a positive whole number');
      if (type !== undefined) args.log_type = type;
      if (lines !== undefined) args.max_lines = Number(lines);
      return runTool(ctx, 'get_server_logs', args);
    },
  },
  delete: action('delete', 'delete a server'),
  call: {
    usage: 'call <tool> [key=value ...]',
    summary: 'call any tool: the forge\'s, a server\'s as <server>__<tool>, or a child\'s own with --port/--url',
    run(ctx, words) {
      const [tool, ...rest] = words;
      if (!tool) throw new UsageError('usage: mcp-forge call <tool> [key=value ...]');
      return runTool(ctx, tool, parseAssignments(rest), true);
    },
  },
  tools: {
    usage: 'tools',
    summary: 'list the tools: the forge\'s and every server\'s <server>__<tool> (a child\'s own with --port/--url)',
    async run(ctx, words) {
      if (words.length) throw new UsageError('usage: mcp-forge tools');
      const tools = await (await ctx.connection()).listTools();
      return { json: { tools }, text: renderTools(tools) };
    },
  },
};

/** The --help text. */
export function helpText(): string {
  const commands = formatTable(['command', 'does'], Object.values(COMMANDS).map((c) => [c.usage, c.summary]));
  return `Usage: mcp-forge [--url URL | --port N] [--token T] [--json] [--timeout S] <command> [arguments]

Talks MCP to an MCP-Forge (default http://127.0.0.1:9000/mcp). --port N means
http://127.0.0.1:N; point it at a child server to use its tools directly.
Values in key=value are JSON where they parse (2, true, null, ["a","b"], {"k":"v"});
[a,b] and {k:v} work without quotes too.

${commands}

Global options:
  --url URL      forge or child server (an http URL; /mcp or /sse picks the transport)
  --port N       same as --url http://127.0.0.1:N
  --token T      the forge's bearer token (default: $MCP_FORGE_TOKEN); never sent with --port
  --json         print the API's JSON instead of tables
  --timeout S    seconds to wait for an answer (reset by progress; default 300)
  -h, --help     this text
  --version      the CLI's version

Exit status: 0 success (also warnings), 1 error (its code and message are printed), 2 wrong usage.`;
}
