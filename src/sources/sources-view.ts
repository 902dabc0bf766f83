/** What list_capabilities says of `source`: the kinds of existing server create_server runs (docs/sources.md). */
export const SOURCES_VIEW = [
  {
    type: 'npm',
    example: { npm: '@modelcontextprotocol/server-memory@2026.8.31', args: [], env: {} },
    description:
      'An npm package with a stdio MCP server: resolved to one version, installed on the host (install scripts off), built once per package and version, served on /mcp and /sse through the stdio bridge.',
    fields: { npm: '<package>@<version or semver range>', bin: 'which bin, when the package has several', args: 'appended to its command', env: 'plain env vars (visible in docker inspect)', folders: 'host folders mounted read-only, under children.allowed_host_roots: [{"host", "target"}]' },
  },
  {
    type: 'image',
    example: { image: 'my-mcp:1', transport: 'http', port: 3000, path: '/mcp' },
    description:
      'A local Docker image (never pulled): "http" runs it as it is and checks MCP at its path; "stdio" runs its command through the stdio bridge. A root image user runs as the child uid.',
    fields: { image: 'a local image reference', transport: '"stdio" (default) or "http"', port: 'http: its container port', path: 'http: its MCP path (default /mcp)', args: 'stdio: appended to its command; http: its Cmd', env: 'plain env vars', folders: 'host folders mounted read-only, as for npm' },
  },
] as const;
