import { expect } from 'chai';
import { TEST_PORTS } from '../support/test-env.js';
import { docker } from '../support/docker-leaks.js';
import { startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { runCli, unusedPort, type CliRun } from '../support/run-cli.js';

/** The column a header starts at must be where each row's cell starts: the table is aligned. */
function expectAligned(table: string, header: string, cell: string) {
  const [head, ...rows] = table.trimEnd().split('\n');
  const row = rows.find((r) => r.includes(cell));
  expect(row, `a row with ${cell} in\n${table}`).to.be.a('string');
  expect(row!.indexOf(cell), `column ${header} in\n${table}`).to.equal(head!.indexOf(header));
}

function expectError(run: CliRun, code: string, message?: RegExp) {
  expect(run.code, `${run.stdout}${run.stderr}`).to.equal(code === 'usage' ? 2 : 1);
  expect(run.stderr).to.match(new RegExp(`^error: ${code}: `));
  if (message) expect(run.stderr).to.match(message);
}

describe('mcp-forge CLI (a subprocess) against a real forge and real children', function () {
  let h: ForgeHandle;
  let forgeTools: string[];
  let server: { id: string; port: number; container_id: string };
  const cli = (...args: string[]) => runCli(['--url', h.forge.url, ...args]);
  const ok = async (...args: string[]) => {
    const run = await cli(...args);
    expect(run.code, `mcp-forge ${args.join(' ')}\n${run.stdout}${run.stderr}`).to.equal(0);
    return run;
  };

  before(async () => {
    h = await startForge();
    forgeTools = (await h.client.listTools()).tools.map((t) => t.name);
  });
  after(async () => h?.stop());

  it('meta shows the forge, API, Node and Docker versions and the tools', async () => {
    const run = await ok('meta');
    expect(run.stdout).to.match(/^server\s+mcp-forge \d+\.\d+\.\d+$/m);
    expect(run.stdout).to.match(/^api version\s+1\.0$/m);
    expect(run.stdout).to.match(new RegExp(`^node\\s+${process.version.replaceAll('.', '\\.')}$`, 'm'));
    expect(run.stdout).to.match(/^docker\s+\d+\.\d+.*\(API \d+\.\d+/m);
    expectAligned(run.stdout.split('\n\n')[1]!, 'DESCRIPTION', 'Create an MCP server');
    const json = (await ok('--json', 'meta')).json();
    expect(json.versions).to.include({ api_version: '1.0', node_version: process.version });
    expect(json.tools).to.deep.equal(forgeTools);
  });

  it('create takes key=value words (lists without quotes too), shows progress and prints the server', async () => {
    const run = await ok('create', 'name=cli-one', 'description=CLI test server', 'capabilities=[echo,time]');
    expect(run.stderr).to.match(/^… preparing image$/m);
    expect(run.stderr, 'the image build shows its steps').to.match(/^… Step 1\/\d+ : FROM /m);
    expect(run.stdout).to.match(/^Server cli-one created and running on port \d+$/m);
    expect(run.stdout).to.match(/^name\s+cli-one$/m);
    expect(run.stdout).to.match(/^status\s+running$/m);
    expect(run.stdout).to.match(/^capabilities\s+echo,time$/m);
    const record = h.forge.registry.findByName('cli-one')!;
    server = { id: record.id, port: record.port, container_id: record.container_id! };
    expect((await docker.getContainer(server.container_id).inspect()).State.Running).to.equal(true);
  });

  it('list prints an aligned table (with --details more columns), --json the API JSON, also over /sse', async () => {
    const plain = await ok('list');
    expect(plain.stdout.split('\n')[0]).to.match(/^ID\s+NAME\s+STATUS\s+PORT\s+DESCRIPTION$/);
    expectAligned(plain.stdout, 'NAME', 'cli-one');
    expectAligned(plain.stdout, 'PORT', String(server.port));
    expect(plain.stdout).to.match(/^1 server$/m);
    const details = await ok('list', '--details');
    expect(details.stdout.split('\n')[0]).to.match(/^ID\s+NAME\s+STATUS\s+PORT\s+UPTIME\s+RESTARTS\s+CAPABILITIES\s+ERROR$/);
    expectAligned(details.stdout, 'CAPABILITIES', 'echo,time');
    expect((await ok('--json', 'list')).json()).to.deep.equal(await h.call('list_servers'));
    const sse = await runCli(['--url', `${h.forge.url}/sse`, '--json', 'list']);
    expect(sse.json().servers[0].name).to.equal('cli-one');
  });

  it('info takes a name or an id', async () => {
    for (const ref of ['cli-one', server.id]) {
      const run = await ok('info', ref);
      expect(run.stdout).to.match(new RegExp(`^id\\s+${server.id}$`, 'm'));
      expect(run.stdout).to.match(/^== stdout \(\d+ lines\) ==$/m);
    }
    expect((await ok('--json', 'info', 'cli-one')).json()).to.include({ id: server.id, name: 'cli-one', status: 'running' });
  });

  it('stop, start and restart act on the real container; a second stop is a warning and exit 0', async () => {
    const running = async () => (await docker.getContainer(server.container_id).inspect()).State.Running;
    expect((await ok('stop', 'cli-one')).stdout.trim()).to.equal('server cli-one stopped');
    expect(await running()).to.equal(false);
    expect((await ok('stop', server.id)).stdout.trim()).to.equal('warning: server cli-one was not running');
    expect((await ok('start', 'cli-one')).stdout.trim()).to.equal('server cli-one started');
    expect(await running()).to.equal(true);
    expect((await ok('--json', 'restart', 'cli-one')).json()).to.deep.equal({ status: 'success', message: 'server cli-one restarted', server_id: server.id });
    expect(await running()).to.equal(true);
  });

  it('logs and stats print the server’s logs and process statistics', async function () {
    if (!forgeTools.includes('get_server_logs') || !forgeTools.includes('get_server_process_stats')) this.skip();
    const logs = await ok('logs', 'cli-one', '--type', 'stdout', '--lines', '5');
    expect(logs.stdout).to.contain('listening');
    expect(logs.stdout.trimEnd().split('\n').length).to.be.at.most(5);
    expect((await ok('--json', 'logs', server.id)).json()).to.include({ status: 'success', server_id: server.id });
    const stats = await ok('stats', 'cli-one');
    expect(stats.stdout).to.match(/^cpu_percent\s+\d/m);
    expect((await ok('--json', 'stats', 'cli-one')).json().process).to.have.property('memory_rss');
    expectError(await cli('logs', 'no-such-server'), 'not_found');
    expectError(await cli('stats', 'no-such-server'), 'not_found');
  });

  it('call runs any forge tool: get_config as a table, set_config with its result', async () => {
    const config = await ok('call', 'get_config', 'section=children');
    expect(config.stdout.split('\n')[0]).to.match(/^SECTION\s+KEY\s+VALUE$/);
    expect(config.stdout).to.match(new RegExp(`^children\\s+port_range_start\\s+${TEST_PORTS.start}$`, 'm'));
    const set = await ok('call', 'set_config', 'section=resources', 'key=default_cpu_limit', 'value=25');
    expect(set.stdout).to.match(/^resources\.default_cpu_limit = 25 \(was 100\)$/m);
    expect((await h.call('get_config', { section: 'resources', key: 'default_cpu_limit' })).config.resources.default_cpu_limit).to.equal(25);
    const back = (await ok('--json', 'call', 'set_config', 'section=resources', 'key=default_cpu_limit', 'value=null')).json();
    expect(back).to.include({ status: 'success', value: null, previous_value: 25, restart_required: false });
  });

  it('--port talks to a child directly: tools and call', async () => {
    const port = String(server.port);
    const tools = await runCli(['--port', port, 'tools']);
    expect(tools.code).to.equal(0);
    expectAligned(tools.stdout, 'DESCRIPTION', 'Return the given message unchanged.');
    expect(tools.stdout).to.match(/^time\s+Return the current time/m);
    const echo = await runCli(['--port', port, 'call', 'echo', 'message=hi there']);
    expect(echo.code).to.equal(0);
    expect(JSON.parse(echo.stdout)).to.deep.equal({ message: 'hi there' });
    const time = await runCli(['--port', port, '--json', 'call', 'time']);
    expect(Math.abs(time.json().unix - Date.now() / 1000)).to.be.below(60);
    expectError(await runCli(['--port', port, 'call', 'echo']), 'tool_error', /invalid arguments for echo/);
  });

  it('errors print the API error code and message and exit 1; --json prints the API error body', async () => {
    for (const command of ['info', 'start', 'stop', 'restart', 'delete']) {
      expectError(await cli(command, 'no-such-server'), 'not_found', /no server with id or name "no-such-server"/);
    }
    expectError(await cli('start', 'bad id!'), 'invalid_id');
    expectError(await cli('create', 'capabilities=[nope]'), 'invalid_request', /unknown capability: nope/);
    expectError(await cli('call', 'no_such_tool'), 'invalid_request', /unknown tool "no_such_tool"/);
    const json = await cli('--json', 'call', 'set_config', 'section=server', 'key=port', 'value=70000');
    expect(json.code).to.equal(1);
    expect(json.json()).to.deep.equal({ status: 'error', error: { code: 'invalid_request', message: 'cannot set server.port: /server/port must be <= 65535' } });
    expectError(await runCli(['--port', String(await unusedPort()), 'list']), 'connection_failed', /ECONNREFUSED/);
  });

  it('wrong usage exits 2 and says what is wrong', async () => {
    expectError(await cli('lis'), 'usage', /unknown command "lis"/);
    expectError(await cli(), 'usage', /no command given/);
    expectError(await cli('info'), 'usage', /usage: mcp-forge info <id-or-name>/);
    expectError(await cli('list', '--bogus'), 'usage', /Unknown option '--bogus'/);
    expectError(await cli('info', 'cli-one', '--details'), 'usage', /--details does not apply to info/);
    expectError(await cli('logs', 'cli-one', '--type', 'both'), 'usage', /--type takes stdout, stderr or all/);
    expectError(await cli('create', 'capabilities=[echo'), 'usage', /cannot read the value of capabilities/);
    expectError(await runCli(['--port', '1', '--url', 'http://x', 'list']), 'usage', /--url or --port, not both/);
    expect((await runCli(['--help'])).stdout).to.match(/^Usage: mcp-forge/);
  });

  it('delete removes the container; deleting again is not_found', async () => {
    expect((await ok('delete', 'cli-one')).stdout.trim()).to.equal('server cli-one deleted (container stopped and removed)');
    const gone = await docker.getContainer(server.container_id).inspect().then(() => false, (e) => e.statusCode === 404);
    expect(gone).to.equal(true);
    expectError(await cli('delete', 'cli-one'), 'not_found');
    expect((await ok('list')).stdout.trim()).to.equal('0 servers');
  });
});
