import { toCreateRequest, type CreateArgs } from '../../servers/create-request.js';
import type { ForgeTool } from '../forge-tool.js';

/** create_server: render, build (or reuse), run, wait for MCP, register. */
export const createServerTool: ForgeTool<CreateArgs> = {
  name: 'create_server',
  title: 'Create an MCP server',
  description:
    'Creates a new MCP server in its own container (docker, or a swarm service: runtime.kind) and returns once it answers MCP. ' +
    'Connect to http://<host>:<server.port>/mcp (Streamable HTTP) or /sse (legacy SSE).',
  inputSchema: {
    type: 'object',
    properties: {
      name: {
        type: 'string',
        minLength: 3,
        maxLength: 64,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'Unique name: at least 3 letters, digits, hyphens or underscores, without "__" (the gateway names tools <name>__<tool>). Defaults to the generated id.',
      },
      description: { type: 'string', minLength: 5, maxLength: 2000, description: 'What the server is for. Defaults to "MCP Server".' },
      capabilities: {
        type: 'array',
        items: { type: 'string', minLength: 1, maxLength: 64 },
        uniqueItems: true,
        minItems: 1,
        maxItems: 32,
        description: 'Capabilities to include (list_capabilities shows them). Defaults to ["echo", "time", "uptime"].',
      },
      handlers: {
        type: 'array',
        items: { type: 'string', minLength: 1, maxLength: 64 },
        uniqueItems: true,
        maxItems: 32,
        description: 'Handlers to include, e.g. file_reader, http_request (list_capabilities shows them and their options).',
      },
      options: {
        type: 'object',
        description:
          'Server options (list_capabilities shows them): e.g. {"persistence": "sqlite"}, {"auth": "basic"}, and the settings of ' +
          'chosen handlers such as {"file_reader": {"root": "/abs/folder"}} or {"http_request": {"allowed_hosts": ["api.example.com"]}}.',
      },
      source: {
        type: 'object',
        description:
          'Run an existing MCP server instead of forged capabilities (docs/sources.md): {"npm": "<package>@<version or range>"} ' +
          '(installed on the host, served through the stdio bridge) or {"image": "<local image>", "transport": "stdio"|"http", "port": N, "path": "/mcp"}; ' +
          'with optional "args" (appended to its command), "env" (plain, visible in docker inspect), "folders" (read-only host folders) and "bin" (npm: which bin).',
        properties: {
          npm: { type: 'string', minLength: 3, maxLength: 256 },
          image: { type: 'string', minLength: 1, maxLength: 256 },
          bin: { type: 'string', minLength: 1, maxLength: 128 },
          transport: { type: 'string', enum: ['stdio', 'http'] },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          path: { type: 'string', pattern: '^/[A-Za-z0-9._~/-]*$', maxLength: 256 },
          args: { type: 'array', items: { type: 'string', maxLength: 4096 }, maxItems: 64 },
          env: { type: 'object', additionalProperties: { type: 'string', maxLength: 16384 }, maxProperties: 64 },
          folders: {
            type: 'array',
            maxItems: 8,
            description: 'Host folders mounted read-only, each under children.allowed_host_roots: [{"host": "/abs/host/folder", "target": "/srv/files"}].',
            items: {
              type: 'object',
              properties: { host: { type: 'string', minLength: 1, maxLength: 4096 }, target: { type: 'string', minLength: 2, maxLength: 256 } },
              required: ['host', 'target'],
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
      secrets: {
        type: 'object',
        additionalProperties: { type: 'string', maxLength: 16384 },
        maxProperties: 64,
        description: 'With source: env vars for the server kept encrypted at rest and never shown (answers list only their names).',
      },
    },
    additionalProperties: false,
  },
  annotations: { destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, { services, caller, progress }) {
    const request = toCreateRequest(args, services.catalog);
    services.quotas.admitCreate(caller);
    progress('preparing image');
    const { record, credentials, token } = await services.provisioner.create(request, caller.name, (line) => progress(line));
    const server = await services.queries.info(record);
    const notes = [
      ...(record.volume ? [`its data lives on volume ${record.volume}, which survives restarts and is removed only by delete_server`] : []),
      ...(credentials ? ['it requires the HTTP Basic credentials below, shown only this once'] : []),
      ...(token ? [`it requires the bearer token below (send "Authorization: Bearer <token>"), shown only this once${credentials ? '; either credential is enough' : ''}`] : []),
    ];
    return {
      status: 'success',
      message: `Server ${server.name} created and running on port ${server.port}${notes.length ? `; ${notes.join('; ')}` : ''}`,
      server,
      ...(credentials ? { credentials } : {}),
      ...(token ? { token } : {}),
    };
  },
};
