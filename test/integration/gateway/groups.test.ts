import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'chai';
import { docker } from '../../support/docker-leaks.js';
import { connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { listChanges } from '../../support/list-changes.js';
import { pollUntil } from '../../support/poll.js';
import { tempTemplates } from '../../support/temp-templates.js';
import { RUN_ID } from '../../support/test-env.js';

const FAST = { monitor: { history_interval_s: 1, connections_interval_s: 1 }, scaling: { interval_s: 1, window_s: 3, min_points: 2 } };
const BALANCED = `gb${RUN_ID.slice(-8)}`;
const SCALED = `gs${RUN_ID.slice(-8)}`;

/** A tool that takes a while, so calls stay in flight long enough for the connections rule to see them. */
const PAUSE = `export async function pause(_args, { identity }) {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const result = { server_id: identity.id };
  return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
}
`;

describe('gateway: auto-scaling groups behind one name', function () {
  const templates = tempTemplates({ pause: { tools: ['pause'], handlers: PAUSE } });
  let h: ForgeHandle;
  let gw: Client;
  const group = async (name: string) =>
    JSON.parse(((await h.client.readResource({ uri: `autoscaling://groups/${name}` })).contents[0] as { text: string }).text).group;
  const serverId = async (tool: string) => {
    const result = await gw.callTool({ name: tool, arguments: {} });
    expect(result.isError, JSON.stringify(result.content)).to.not.equal(true);
    return (result.structuredContent as { server_id: string }).server_id;
  };

  before(async () => {
    h = await startForge({ ...FAST, templates: { dir: templates.dir } });
    gw = await connect(`${h.forge.url}/gateway`);
  });
  after(async () => {
    await gw?.close();
    if (h) for (const name of [BALANCED, SCALED]) await h.call('manage_auto_scaling', { action: 'delete_group', group_name: name });
    await h?.stop();
    templates.remove();
  });

  it('lists a group once, spreads 30 calls over its three members, and keeps answering when one is removed with docker rm -f', async () => {
    const changes = listChanges(gw);
    const listed = changes.next((tools) => tools.some((t) => t.name === `${BALANCED}__uptime`), 'the group listed');
    const seed = await h.call('create_server', { name: `${BALANCED}-seed`, description: 'Balanced group seed', capabilities: ['uptime'] });
    expect(seed.status, JSON.stringify(seed)).to.equal('success');
    const made = await h.call('manage_auto_scaling', { action: 'create_group', group_name: BALANCED, min_instances: 3, max_instances: 3, server_ids: [seed.server.id] });
    expect(made.status, JSON.stringify(made)).to.equal('success');
    const tools = await listed;
    expect(tools.map((t) => t.name)).to.not.include(`${BALANCED}-seed__uptime`);

    const full = await pollUntil(() => group(BALANCED), (g) => g.servers.length === 3 && g.creating.length === 0 && g.members.every((m: any) => m.status === 'running'), 'three running members', 90_000, 250);
    const seen = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const id = await serverId(`${BALANCED}__uptime`);
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).to.deep.equal([...full.servers].sort());
    for (const count of seen.values()) expect(count).to.be.at.least(5);

    const victim = h.forge.registry.get(full.servers[1])!;
    await docker.getContainer(victim.container_id!).remove({ force: true });
    for (let i = 0; i < 10; i++) await serverId(`${BALANCED}__uptime`);
  });

  it('grows a group on a connections rule fed by calls through the gateway, and the new member receives calls', async () => {
    const seed = await h.call('create_server', { name: `${SCALED}-seed`, description: 'Scaled group seed', capabilities: ['pause'] });
    expect(seed.status, JSON.stringify(seed)).to.equal('success');
    const made = await h.call('manage_auto_scaling', { action: 'create_group', group_name: SCALED, min_instances: 1, max_instances: 2, server_ids: [seed.server.id] });
    expect(made.status, JSON.stringify(made)).to.equal('success');
    const rule = await h.call('manage_auto_scaling', { action: 'add_rule', group_name: SCALED, rule_name: 'busy', metric: 'connections', threshold: 2, rule_action: 'scale_up', cooldown: 60 });
    expect(rule.status, JSON.stringify(rule)).to.equal('success');
    await pollUntil(() => gw.listTools(), (r) => r.tools.some((t) => t.name === `${SCALED}__pause`), 'the group listed');

    const answered = new Set<string>();
    const deadline = Date.now() + 90_000;
    const worker = async () => {
      while (answered.size < 2 && Date.now() < deadline) answered.add(await serverId(`${SCALED}__pause`));
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const grown = await group(SCALED);
    expect(grown.servers).to.have.length(2);
    expect([...answered].sort()).to.deep.equal([...grown.servers].sort());
    expect(grown.events.some((e: any) => e.action === 'scale_up' && e.rule === 'busy')).to.equal(true);
  });
});
