import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Prompt, Resource, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ServerRecord } from '../registry/server-record.js';
import { exposedName, exposedUri } from './exposed-name.js';
import type { Target } from './targets.js';

/** A child slower than this to list is treated as not answering. */
const LIST_TIMEOUT_MS = 5000;

/** What one member of a target lists (members of a group are clones and list the same). */
interface Listing {
  from: string;
  tools: Tool[];
  resources: Resource[];
  prompts: Prompt[];
}

/** Where an exposed name leads: the target's prefix and the child's own name (or URI). */
export interface Route {
  prefix: string;
  name: string;
}

/** Lists one child over its pooled session (resources and prompts only where it offers them). */
export async function listChild(client: Client): Promise<Omit<Listing, 'from'>> {
  const caps = client.getServerCapabilities() ?? {};
  const options = { timeout: LIST_TIMEOUT_MS };
  const [tools, resources, prompts] = await Promise.all([
    caps.tools ? client.listTools(undefined, options).then((r) => r.tools) : [],
    caps.resources ? client.listResources(undefined, options).then((r) => r.resources) : [],
    caps.prompts ? client.listPrompts(undefined, options).then((r) => r.prompts) : [],
  ]);
  return { tools, resources, prompts };
}

/**
 * The aggregated lists: each target's tools, resources and prompts renamed under its prefix,
 * fetched from one of its members and kept until that member leaves, goes down or announces
 * a change. A target whose members all fail to answer is not listed.
 */
export class GatewayCatalog {
  private readonly listings = new Map<string, Listing>();
  tools: Tool[] = [];
  resources: Resource[] = [];
  prompts: Prompt[] = [];
  readonly toolRoutes = new Map<string, Route>();
  readonly promptRoutes = new Map<string, Route>();

  /** Forgets what came from the server, so the next refresh asks again. */
  invalidate(serverId: string): void {
    for (const [prefix, listing] of this.listings) if (listing.from === serverId) this.listings.delete(prefix);
  }

  /** Brings the lists up to date with `targets`; returns true when what a client sees changed. */
  async refresh(targets: Target[], fetch: (member: ServerRecord) => Promise<Omit<Listing, 'from'>>, onFailure: (member: ServerRecord, err: Error) => void): Promise<boolean> {
    const before = JSON.stringify([this.tools, this.resources, this.prompts]);
    const live = new Set(targets.map((t) => t.prefix));
    for (const prefix of this.listings.keys()) if (!live.has(prefix)) this.listings.delete(prefix);
    await Promise.all(
      targets.map(async (target) => {
        const kept = this.listings.get(target.prefix);
        if (kept && target.members.some((m) => m.id === kept.from)) return;
        this.listings.delete(target.prefix);
        for (const member of target.members) {
          try {
            this.listings.set(target.prefix, { from: member.id, ...(await fetch(member)) });
            return;
          } catch (err) {
            onFailure(member, err as Error);
          }
        }
      }),
    );
    this.rebuild(targets);
    return JSON.stringify([this.tools, this.resources, this.prompts]) !== before;
  }

  private rebuild(targets: Target[]) {
    this.tools = [];
    this.resources = [];
    this.prompts = [];
    this.toolRoutes.clear();
    this.promptRoutes.clear();
    for (const target of targets) {
      const listing = this.listings.get(target.prefix);
      if (!listing || !target.members.some((m) => m.id === listing.from)) continue;
      for (const tool of listing.tools) {
        const name = exposedName(target.prefix, tool.name);
        if (this.toolRoutes.has(name)) continue;
        this.toolRoutes.set(name, { prefix: target.prefix, name: tool.name });
        this.tools.push({ ...tool, name });
      }
      for (const prompt of listing.prompts) {
        const name = exposedName(target.prefix, prompt.name);
        if (this.promptRoutes.has(name)) continue;
        this.promptRoutes.set(name, { prefix: target.prefix, name: prompt.name });
        this.prompts.push({ ...prompt, name });
      }
      for (const resource of listing.resources) {
        this.resources.push({ ...resource, uri: exposedUri(target.prefix, resource.uri), name: exposedName(target.prefix, resource.name) });
      }
    }
  }
}
