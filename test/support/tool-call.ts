import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/** A child tool call's outcome: whether it failed, its first text, and its structuredContent. */
export async function attempt(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as Array<{ text?: string }>)[0]?.text ?? '';
  return { isError: !!result.isError, text, data: result.structuredContent as any };
}
