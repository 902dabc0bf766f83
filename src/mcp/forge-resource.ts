import type { ForgeServices } from './forge-tool.js';

/** A fixed MCP resource (e.g. `servers://list`); its content is JSON. */
export interface ForgeResource {
  uri: string;
  name: string;
  title: string;
  description: string;
  read(services: ForgeServices): Promise<unknown>;
}

/**
 * A parameterised MCP resource (e.g. `servers://{server_id}/info`). `list` names the
 * concrete resources it currently stands for, so resources/list can show them.
 */
export interface ForgeResourceTemplate {
  uriTemplate: string;
  name: string;
  title: string;
  description: string;
  read(params: Record<string, string>, services: ForgeServices): Promise<unknown>;
  list?(services: ForgeServices): Promise<Array<{ uri: string; name: string }>>;
}
