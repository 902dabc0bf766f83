import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import type { RegistryData } from '../../src/registry/server-record.js';
import { inspectChild, removeChildByName } from '../support/child-container.js';
import { startForge, startForgeWith, type ForgeHandle } from '../support/forge-fixture.js';
import { connectChild } from '../support/child-client.js';
import { pollUntil } from '../support/poll.js';
import { fixtureTemplates } from '../support/temp-templates.js';
import { RUN_ID } from '../support/test-env.js';

// Container names are global on the daemon: unique per run, as parallel checkouts share it.
const GROUP = `as${RUN_ID.slice(-8)}`;
const MEMORY = 128 * 1024 * 1024;

const FAST = { monitor: { history_interval_s: 1, connections_interval_s: 1 }, scaling: { interval_s: 1, window_s: 3, min_points: 2 } };

describe('auto-scaling groups against real containers', function () {
  let h: ForgeHandle;
  let seed: any;
  const scale = (args: Record<string, unknown>) => h.call('manage_auto_scaling', { group_name: GROUP, ...args });
  const read = async (uri: string) => JSON.parse(((await h.client.readResource({ uri })).contents[0] as { text: string }).text);
  const detail = async () => (await read(`autoscaling://groups/${GROUP}`)).group;
  const settledAt = (n: number, what: string, timeoutMs = 60_000) =>
    pollUntil(detail, (g) => g.servers.length === n && g.creating.length === 0, what, timeoutMs, 250);
  const events = (g: any, action: string, outcome: string) => g.events.filter((e: any) => e.action === action && e.outcome === outcome);

  before(async function () {
    h = await startForge(FAST);
    const created = await h.call('create_server', { name: `${GROUP}-seed`, description: 'Auto-scaling seed', capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    seed = created.server;
    expect((await h.call('set_resource_limit', { server_id: seed.id, limit_name: 'memory_bytes', limit_value: MEMORY })).status).to.equal('success');
  });
  after(async () => {
    if (!h) return;
    for (const name of (await read('autoscaling://groups')).groups.map((g: any) => g.name)) {
      await h.call('manage_auto_scaling', { action: 'delete_group', group_name: name });
    }
    await h.stop();
  });

  it('refuses bad input with clear errors and changes nothing', async () => {
    const bad = async (args: Record<string, unknown>, code: string, text: RegExp) => {
      const result = await scale(args);
      expect(result.status, JSON.stringify(result)).to.equal('error');
      expect(result.error.code).to.equal(code);
      expect(result.error.message).to.match(text);
    };
    await bad({ action: 'resize' }, 'invalid_request', /action must be one of: create_group, delete_group, add_server/);
    await bad({ action: 'add_rule', rule_name: 'r', metric: 'cpu', threshold: 1, rule_action: 'scale_up' }, 'not_found', /no auto-scaling group named/);
    await bad({ action: 'create_group', min_instances: 3, max_instances: 2 }, 'invalid_request', /min_instances \(3\) is above max_instances \(2\)/);
    await bad({ action: 'create_group', server_ids: ['mcp-20990101-zzzzzz'] }, 'not_found', /no server with id or name/);
    await bad({ action: 'create_group', server_ids: ['../etc'] }, 'invalid_id', /is not a server id/);
    await bad({ action: 'create_group', metric: 'cpu' }, 'invalid_request', /create_group does not use "metric"/);
    expect((await read('autoscaling://groups')).count).to.equal(0);

    expect((await scale({ action: 'create_group', min_instances: 1, max_instances: 3, server_ids: [seed.id] })).status).to.equal('success');
    const before = await detail();
    await bad({ action: 'add_rule', rule_name: 'r', metric: 'cpu', threshold: -5, rule_action: 'scale_up' }, 'invalid_request', /threshold must be >= 0/);
    await bad({ action: 'add_rule', rule_name: 'r', metric: 'disk', threshold: 5, rule_action: 'scale_up' }, 'invalid_request', /metric must be one of: cpu, memory, connections/);
    await bad({ action: 'update_group', min_instances: 4 }, 'invalid_request', /min_instances \(4\) is above max_instances \(3\)/);
    await bad({ action: 'remove_rule', rule_name: 'nope' }, 'not_found', /has no rule named "nope"/);
    await bad({ action: 'add_server', server_ids: [seed.name] }, 'invalid_request', /already in group/);
    await bad({ action: 'remove_server', server_ids: ['mcp-20990101-zzzzzz'] }, 'not_found', /no server/);
    const other = await h.call('manage_auto_scaling', { action: 'create_group', group_name: `${GROUP}-other`, server_ids: [seed.id] });
    expect(other.error.message).to.match(/already in group .*; a server belongs to one group at most/);
    expect(await detail()).to.deep.equal(before);
    expect((await read('autoscaling://groups')).count).to.equal(1);
  });

  it('grows to max_instances on a crossed CPU rule, one cooldown apart, and no further', async () => {
    const added = await scale({ action: 'add_rule', rule_name: 'busy', metric: 'cpu', threshold: 0, rule_action: 'scale_up', cooldown: 2 });
    expect(added).to.deep.include({ status: 'success' });
    expect(added.group).to.deep.include({ name: GROUP, min_instances: 1, max_instances: 3, servers: [seed.id] });
    expect(added.group.rules).to.deep.equal([{ name: 'busy', metric: 'cpu', threshold: 0, action: 'scale_up', cooldown: 2, last_action_at: null }]);

    await settledAt(3, 'three members');
    const atMax = await pollUntil(detail, (g) => events(g, 'scale_up', 'refused').length > 0, 'a refusal at max_instances');
    expect(events(atMax, 'scale_up', 'refused')[0].reason).to.contain('at max_instances (3)');
    const decided = events(atMax, 'scale_up', 'decided').map((e: any) => Date.parse(e.time)).reverse();
    expect(decided).to.have.length(2);
    expect(decided[1] - decided[0]).to.be.at.least(1900);
    expect(events(atMax, 'scale_up', 'succeeded')).to.have.length(2);
    // Several evaluations later it is still three.
    const refusedAt = Date.parse(events(atMax, 'scale_up', 'refused')[0].time);
    const later = await pollUntil(detail, (g) => Date.parse(g.rules[0].last_evaluation.time) > refusedAt + 2500, 'later evaluations');
    expect(later.servers).to.have.length(3);
    expect(h.forge.registry.list()).to.have.length(3);

    for (const id of later.servers.filter((s: string) => s !== seed.id)) {
      const clone = h.forge.registry.get(id)!;
      expect(clone.name).to.match(new RegExp(`^${GROUP}-[a-z0-9]{6}$`));
      expect(clone).to.deep.include({ capabilities: ['echo'], handlers: [], description: 'Auto-scaling seed', owner: 'autoscaler' });
      expect(clone.port).to.not.equal(seed.port);
      expect((await h.call('get_resource_limits', { server_id: id })).limits.memory_bytes).to.equal(MEMORY);
      expect((await inspectChild(clone.container_name)).HostConfig.Memory).to.equal(MEMORY);
    }
  });

  it('shrinks to min_instances when the rule turns to scale_down', async () => {
    const updated = await scale({ action: 'update_rule', rule_name: 'busy', rule_action: 'scale_down', threshold: 100 });
    expect(updated.group.rules[0]).to.include({ action: 'scale_down', threshold: 100, cooldown: 2 });
    const shrunk = await settledAt(1, 'one member');
    await pollUntil(detail, (g) => events(g, 'scale_down', 'refused').some((e: any) => e.reason.includes('at min_instances (1)')), 'a refusal at min_instances');
    expect(events(shrunk, 'scale_down', 'succeeded').length).to.be.at.least(2);
    expect(h.forge.registry.list()).to.have.length(1);
  });

  it('repairs a member removed with docker rm and replaces one deleted with delete_server', async () => {
    expect((await scale({ action: 'update_group', min_instances: 2 })).message).to.contain('the scaler adds 1 from its template');
    const two = await settledAt(2, 'a top-up to two');
    expect(events(two, 'top_up', 'succeeded')).to.have.length(1);

    const clone = h.forge.registry.get(two.servers.find((s: string) => s !== seed.id))!;
    await removeChildByName(clone.container_name);
    await pollUntil(detail, (g) => events(g, 'repair', 'succeeded').some((e: any) => e.server_id === clone.id), 'the repair');
    expect((await inspectChild(clone.container_name)).State.Running).to.equal(true);
    expect((await detail()).servers).to.include(clone.id);

    expect((await h.call('delete_server', { server_id: clone.id })).status).to.equal('success');
    expect(h.forge.registry.groups.get(GROUP)!.servers).to.not.include(clone.id);
    const replaced = await settledAt(2, 'a replacement');
    expect(replaced.servers).to.not.include(clone.id);
  });

  it('polls the open sessions of members for a connections rule', async () => {
    expect((await scale({ action: 'add_rule', rule_name: 'sessions', metric: 'connections', threshold: 50, rule_action: 'restart', cooldown: 0 })).status).to.equal('success');
    const judged = await pollUntil(detail, (g) => /not above 50 connections/.test(g.rules[1].last_evaluation?.reason), 'an evaluation on polled sessions');
    const [, member] = /member (mcp-\d{8}-[a-z0-9]{6}) averaged 0 connections over the last 3 s/.exec(judged.rules[1].last_evaluation.reason)!;
    expect(judged.servers).to.include(member);
    expect(h.forge.services.monitor.watch(member!)!.connectionHistory.size).to.be.above(1);
    const removed = await scale({ action: 'remove_rule', rule_name: 'sessions' });
    expect(removed.group.rules.map((r: any) => r.name)).to.deep.equal(['busy']);
  });

  it('keeps groups, rules, members and cooldown clocks across a forge restart, and adopts an interrupted clone', async () => {
    await scale({ action: 'update_group', max_instances: 4 });
    await scale({ action: 'update_rule', rule_name: 'busy', rule_action: 'scale_up', threshold: 0, cooldown: 3600 });
    const cooling = await pollUntil(detail, (g) => /cooling down/.test(g.rules[0].last_evaluation?.reason), 'the cooldown holding the rule back');
    const stray = await h.call('create_server', { name: `${GROUP}-zzzzzz`, capabilities: ['echo'] });
    expect(stray.status).to.equal('success');

    await h.stop({ keepServers: true });
    // As if the forge had died after creating the clone but before it joined the group.
    const file = h.forge.registry.file;
    const data = JSON.parse(readFileSync(file, 'utf8')) as RegistryData;
    data.groups![0]!.pending.push(stray.server.name);
    writeFileSync(file, JSON.stringify(data));
    h = await startForgeWith(h.config);

    const adopted = await settledAt(3, 'the interrupted clone adopted');
    expect(adopted.servers).to.include.members([...cooling.servers, stray.server.id]);
    expect(adopted.rules.map(({ last_evaluation, ...r }: any) => r)).to.deep.equal(cooling.rules.map(({ last_evaluation, ...r }: any) => r));
    expect(events(adopted, 'adopt', 'succeeded')[0].server_name).to.equal(stray.server.name);
    expect((await h.call('get_resource_limits', { server_id: stray.server.id })).limits.memory_bytes, "the template's limits").to.equal(MEMORY);
    const held = await pollUntil(detail, (g) => /cooling down \(\d+ s left\)/.test(g.rules[0].last_evaluation?.reason), 'the cooldown clock after the restart');
    expect(held.servers).to.have.length(3);

    // A quota refusal is an event, not a crash; once lifted the group grows.
    expect((await h.call('set_config', { section: 'quotas', key: 'max_servers', value: 3 })).status).to.equal('success');
    await scale({ action: 'update_rule', rule_name: 'busy', cooldown: 1 });
    const refused = await pollUntil(detail, (g) => events(g, 'scale_up', 'failed').length > 0, 'a quota refusal');
    expect(events(refused, 'scale_up', 'failed')[0].error.code).to.equal('limit_exceeded');
    expect((await h.call('set_config', { section: 'quotas', key: 'max_servers', value: null })).status).to.equal('success');
    await settledAt(4, 'four members in the restarted forge');
  });
});

describe('auto-scaling with the monitor and the scaler off', () => {
  let h: ForgeHandle;
  before(async () => {
    h = await startForge({ monitor: { enabled: false }, scaling: { enabled: false } });
  });
  after(async () => h && h.stop());

  it('keeps groups, refuses rules (they need the monitor), and says the scaler is off', async () => {
    const scale = (args: Record<string, unknown>) => h.call('manage_auto_scaling', { group_name: 'quiet', ...args });
    const created = await scale({ action: 'create_group', min_instances: 0, max_instances: 2 });
    expect(created.message).to.contain('the scaler is off (scaling.enabled is false)');
    expect(created.group).to.deep.equal({ name: 'quiet', min_instances: 0, max_instances: 2, servers: [], rules: [] });
    const rule = await scale({ action: 'add_rule', rule_name: 'r', metric: 'cpu', threshold: 50, rule_action: 'scale_up' });
    expect(rule.error.code).to.equal('invalid_request');
    expect(rule.error.message).to.contain('monitor.enabled is false');
    const overview = JSON.parse(((await h.client.readResource({ uri: 'autoscaling://groups' })).contents[0] as { text: string }).text);
    expect(overview.scaler).to.include({ enabled: false, monitoring: false });
    expect(overview.groups.map((g: any) => g.rules)).to.deep.equal([[]]);
    expect((await scale({ action: 'delete_group' })).message).to.equal('Auto-scaling group quiet deleted');
  });
});

describe('auto-scaling under real CPU load (a test-only unit that burns CPU)', function () {
  const BUSY = `${GROUP}-busy`;
  const IDLE = `${GROUP}-idle`;
  const WINDOW_S = 3;
  // Realistic, yet reachable on a shared 2-core machine: four busy threads measured 51 % of a core at load
  // average 13 and 26 % at 19, so eight burn here; an idle child measures about 1 %.
  const THRESHOLD = 30;
  const templates = fixtureTemplates(['cpu_burner']);
  let h: ForgeHandle;
  const group = async (name: string) =>
    JSON.parse(((await h.client.readResource({ uri: `autoscaling://groups/${name}` })).contents[0] as { text: string }).text).group;
  const events = (g: any, action: string, outcome: string) => g.events.filter((e: any) => e.action === action && e.outcome === outcome);
  const seedGroup = async (name: string, max: number) => {
    const created = await h.call('create_server', { name: `${name}-seed`, capabilities: ['cpu_burner'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    const scale = (args: Record<string, unknown>) => h.call('manage_auto_scaling', { group_name: name, ...args });
    expect((await scale({ action: 'create_group', min_instances: 1, max_instances: max, server_ids: [created.server.id] })).status).to.equal('success');
    const rule = await scale({ action: 'add_rule', rule_name: 'hot', metric: 'cpu', threshold: THRESHOLD, rule_action: 'scale_up', cooldown: 1 });
    expect(rule.status, JSON.stringify(rule)).to.equal('success');
    return created;
  };

  before(async () => {
    h = await startForge({ templates: { dir: templates.dir }, ...FAST, scaling: { interval_s: 1, window_s: WINDOW_S, min_points: 2 } });
  });
  after(async () => {
    if (h) {
      for (const name of [BUSY, IDLE]) await h.call('manage_auto_scaling', { action: 'delete_group', group_name: name });
      await h.stop();
    }
    templates.remove();
  });

  it('a member kept busy crosses a 30 % CPU rule and the group grows; an idle group beside it does not', async () => {
        const idleSeed = (await seedGroup(IDLE, 3)).server;
    const busyCreated = await seedGroup(BUSY, 2);
    const busySeed = busyCreated.server;
    const child = await connectChild(busyCreated);
    const burning = await child.callTool({ name: 'burn', arguments: { seconds: 60, threads: 8 } });
    expect(burning.isError, JSON.stringify(burning)).to.not.equal(true);
    await child.close();

    const grown = await pollUntil(() => group(BUSY), (g) => g.servers.length === 2 && g.creating.length === 0, 'the busy group grown to two', 60_000, 250);
    const decided = events(grown, 'scale_up', 'decided');
    expect(decided, JSON.stringify(grown.events)).to.have.length(1);
    const [, observed] = /the group averaged ([\d.]+)% CPU over the last 3 s \(1 of 1 members reporting\), above 30% CPU/.exec(decided[0].reason) ?? [];
    expect(Number(observed), decided[0].reason).to.be.above(THRESHOLD);
    expect(events(grown, 'scale_up', 'succeeded')).to.have.length(1);
    // The burner's load is done with: its group goes, the idle one stays under watch.
    expect((await h.call('manage_auto_scaling', { action: 'delete_group', group_name: BUSY })).status).to.equal('success');
    for (const id of grown.servers) expect((await h.call('delete_server', { server_id: id })).status).to.equal('success');

    // The idle group, judged on real samples every second for three whole windows: it never grows.
    const judged = new Set<string>();
    const idle = await pollUntil(
      () => group(IDLE),
      (g) => {
        const last = g.rules[0].last_evaluation;
        if (/the group averaged [\d.]+% CPU over the last 3 s \(1 of 1 members reporting\): not above 30% CPU/.test(last?.reason ?? '')) judged.add(last.time);
        return judged.size >= 3 * WINDOW_S;
      },
      `${3 * WINDOW_S} evaluations of the idle group on data`,
      60_000,
      250,
    );
    expect(idle.servers).to.deep.equal([idleSeed.id]);
    expect(idle.creating).to.deep.equal([]);
    expect(idle.events.filter((e: any) => e.action === 'scale_up'), JSON.stringify(idle.events)).to.deep.equal([]);
  });
});
