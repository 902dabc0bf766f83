import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { packageRoot } from '../../../src/config/paths.js';
import { chromiumMissing, launchChromium } from '../../support/browser.js';
import { docker } from '../../support/docker-leaks.js';
import { call, connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { buildDist } from '../../support/host.js';
import { pollUntil } from '../../support/poll.js';

const ADMIN = 'dash-admin-token-0123456789abcdef';
const READER = 'dash-read-token-0123456789abcdef';
const HOSTILE = '<img src=x data-evil="1"> & <b>bold</b>';

/**
 * The dashboard in Debian's Chromium against a real forge with real children: what it lists,
 * charts and tails comes from the children, what it does reaches Docker, and roles hold.
 */
describe('dashboard in a real browser', function () {
  this.timeout(180_000);
  let h: ForgeHandle;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  let admin: Page;
  let one: any;
  const consoleErrors: string[] = [];

  before(async function () {
    const missing = chromiumMissing();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      return this.skip();
    }
    if (!existsSync(path.join(packageRoot, 'dist/dashboard/index.html'))) await buildDist();
    h = await startForge({
      auth: { admin_token: ADMIN, tokens: [{ name: 'viewer', token: READER, role: 'read' }] },
      monitor: { history_interval_s: 1, connections_interval_s: 1 },
      scaling: { interval_s: 1 },
    });
    one = (await h.call('create_server', { name: 'dash-one', description: HOSTILE, capabilities: ['echo', 'time'] })).server;
    await h.call('create_server', { name: 'dash-two', description: 'A second child for the dashboard' });
    browser = await launchChromium();
    context = browser.context;
    admin = await signIn(ADMIN);
  });
  after(async () => {
    await browser?.close();
    await h?.stop();
  });

  async function signIn(token: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    await page.goto(h.forge.url);
    await page.getByLabel('Forge token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }
  const card = (page: Page, name: string) => page.locator(`article[data-server="${name}"]`);

  it('lists a real child created through MCP, its description as text', async () => {
    const c = card(admin, 'dash-one');
    await c.getByText('running', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await c.locator('.facts').innerText()).to.include(String(one.port)).and.include('echo, time');
    expect(await c.locator('.description').innerText()).to.equal(HOSTILE);
    expect(await admin.locator('[data-evil], .description b').count()).to.equal(0);
    await card(admin, 'dash-two').waitFor();
  });

  it('a sparkline gains points from the monitor', async () => {
    const points = () => card(admin, 'dash-one').locator('figure.spark').first().getAttribute('data-points').then(Number);
    const first = await pollUntil(points, (n) => n >= 1, 'a first CPU point');
    await pollUntil(points, (n) => n >= first + 2, `more than ${first} CPU points`);
    expect(await card(admin, 'dash-one').locator('figure.spark canvas').count()).to.equal(2);
  });

  it('a log line the child prints appears in the log tail', async () => {
    // The first server is followed at sign-in; the button says so either way.
    await card(admin, 'dash-one').getByRole('button', { name: /^(Show|Following) log$/ }).click();
    await card(admin, 'dash-one').getByRole('button', { name: 'Following log' }).waitFor();
    const stdout = admin.getByRole('log', { name: 'dash-one stdout' });
    await pollUntil(() => stdout.innerText(), (t) => t.includes('"msg":"listening"'), 'the start-up line');
    expect(await stdout.innerText()).not.to.include('"tool":"time"');
    const child = await connect(`http://127.0.0.1:${one.port}`);
    await child.callTool({ name: 'time', arguments: {} });
    await child.close();
    await pollUntil(() => stdout.innerText(), (t) => t.includes('"tool":"time"'), 'the tool call line');
  });

  it('"Stop" on the page stops the real container', async () => {
    const c = card(admin, 'dash-two');
    const id = (await h.call('list_servers', { include_details: true })).servers.find((s: any) => s.name === 'dash-two').container_id;
    expect((await docker.getContainer(id).inspect()).State.Running).to.equal(true);
    await c.getByRole('button', { name: 'Stop' }).click();
    await pollUntil(() => docker.getContainer(id).inspect(), (i) => !i.State.Running, 'the container to stop');
    await c.locator('[data-testid="status"]', { hasText: 'stopped' }).waitFor();
    const audit = await h.call('get_audit_log', { max_lines: 5 });
    expect(audit.entries.some((e: any) => e.action === 'stop_server' && e.actor === 'admin')).to.equal(true);
  });

  it('a read token sees no action controls, and the forge refuses its actions', async () => {
    const reader = await signIn(READER);
    await card(reader, 'dash-one').waitFor();
    await reader.getByText('viewer', { exact: true }).waitFor();
    for (const name of ['Start', 'Stop', 'Restart', 'Delete…', 'Set limit', 'Create']) {
      expect(await reader.getByRole('button', { name, exact: true }).count(), name).to.equal(0);
    }
    const refused = await reader.evaluate(async (id) => {
      const token = sessionStorage.getItem('mcp-forge.token');
      const res = await fetch('/api/tools/stop_server', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ server_id: id }) });
      return { status: res.status, body: await res.json() };
    }, one.id);
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal('forbidden');
    expect((await call(h.client, 'list_servers')).servers.find((s: any) => s.id === one.id).status).to.equal('running');
    await reader.close();
  });

  it('a wrong token is refused and never stored', async () => {
    const page = await signIn('not-a-forge-token');
    await page.getByRole('alert').getByText('That token was refused.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('mcp-forge.token'))).to.equal(null);
    expect(await page.locator('article[data-server]').count()).to.equal(0);
    await page.close();
  });

  it('serves a strict CSP, cache headers, and obeys the Host and Origin rules', async () => {
    const index = await fetch(h.forge.url);
    expect(index.headers.get('content-security-policy')).to.include("default-src 'self'").and.include("script-src 'self'").and.not.include('unsafe');
    expect(index.headers.get('cache-control')).to.equal('no-cache');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())![1]!;
    const js = await fetch(`${h.forge.url}${asset}`);
    expect(js.headers.get('cache-control')).to.include('immutable');
    expect((await fetch(`${h.forge.url}/assets/nope.js`)).status).to.equal(404);
    const auth = { Authorization: `Bearer ${ADMIN}` };
    expect(await statusWithHost(h.forge.url, 'evil.example')).to.equal(403);
    expect(await statusWithHost(h.forge.url, 'localhost')).to.equal(200);
    const foreignOrigin = await fetch(`${h.forge.url}/api/session`, { headers: { ...auth, Origin: 'http://evil.example' } });
    expect(foreignOrigin.status).to.equal(403);
    const own = await fetch(`${h.forge.url}/api/session`, { headers: { ...auth, Origin: h.forge.url } });
    expect((await own.json()).caller).to.deep.equal({ name: 'admin', role: 'admin' });
    expect((await fetch(`${h.forge.url}/api/events`)).status).to.equal(401);
    // The pages above ran under that policy: nothing they needed was refused.
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).to.deep.equal([]);
  });
});

/** fetch cannot send another Host header; node:http can. */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('dashboard screenshot (MCP_FORGE_SCREENSHOT=docs/dashboard.png)', function () {
  this.timeout(180_000);
  it('shows real children, a group with its events and an alert', async function () {
    const file = process.env.MCP_FORGE_SCREENSHOT;
    if (!file || chromiumMissing()) return this.skip();
    const h = await startForge({ monitor: { history_interval_s: 1, connections_interval_s: 1 }, scaling: { interval_s: 1 } });
    const browser = await launchChromium();
    try {
      const web = (await h.call('create_server', { name: 'web-tools', description: 'Echo, time and encoding for the web team', capabilities: ['echo', 'time', 'encoding'] })).server;
      await h.call('create_server', { name: 'notes', description: 'Notes kept in SQLite', options: { persistence: 'sqlite' } });
      await h.call('manage_auto_scaling', { action: 'create_group', group_name: 'pool', server_ids: ['web-tools'], min_instances: 2, max_instances: 4 });
      await h.call('manage_auto_scaling', { action: 'add_rule', group_name: 'pool', rule_name: 'busy', metric: 'cpu', threshold: 70, rule_action: 'scale_up', cooldown: 120 });
      await h.call('set_resource_limit', { server_id: 'web-tools', limit_name: 'connections', limit_value: 1 });
      // Two open sessions pass the connections limit of 1: a limit_exceeded alert.
      const sessions = [await connect(`http://127.0.0.1:${web.port}`), await connect(`http://127.0.0.1:${web.port}`)];
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1400, height: 1000 });
      await page.goto(h.forge.url);
      await page.locator('.alert').first().waitFor({ timeout: 60_000 });
      await page.locator('article[data-server^="pool-"] [data-testid="status"]', { hasText: 'running' }).waitFor({ timeout: 90_000 });
      await pollUntil(async () => Number(await page.locator('figure.spark').first().getAttribute('data-points')), (n) => n >= 20, 'twenty points to show', 60_000);
      await page.screenshot({ path: file, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: file.replace(/\.png$/, '-phone.png') });
      await Promise.all(sessions.map((c) => c.close()));
    } finally {
      // The group first: with min_instances 2 the scaler would replace members the fixture deletes.
      await h.call('manage_auto_scaling', { action: 'delete_group', group_name: 'pool' }).catch(() => undefined);
      await browser.close();
      await h.stop();
    }
  });
});

describe('dashboard without tokens on loopback', function () {
  this.timeout(120_000);
  it('needs no sign-in', async function () {
    const missing = chromiumMissing();
    if (missing) return this.skip();
    const h = await startForge();
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(h.forge.url);
      await page.getByText('anonymous', { exact: true }).waitFor();
      expect(await page.getByLabel('Forge token').count()).to.equal(0);
      await page.getByRole('heading', { name: 'Create a server' }).waitFor();
    } finally {
      await browser.close();
      await h.stop();
    }
  });
});
