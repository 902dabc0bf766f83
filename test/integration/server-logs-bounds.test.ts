import { expect } from 'chai';
import { startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';
import { LOG_READ_MAX_BYTES } from '../../src/runtime/docker/log-tail.js';
import { until } from '../support/poll.js';
import { nodeRun } from '../support/node-in.js';
import { childContainerId } from '../support/child-container.js';

/** Runs a Node script in the container and expects it to succeed. */
const nodeSucceeds = async (id: string, script: string) => expect((await nodeRun(id, script)).exitCode).to.equal(0);

/** The newest line Docker has logged on one of the container's streams. */
async function lastLogged(containerId: string, stream: 'stdout' | 'stderr'): Promise<string> {
  const raw = (await docker.getContainer(containerId).logs({ [stream]: true, tail: 1, follow: false })) as unknown as Buffer;
  return raw.subarray(8).toString().trim();
}

describe('server logs are read bounded in bytes', function () {
  let h: ForgeHandle;
  let server: any;
  const LINES = 3000;
  before(async () => {
    h = await startForge();
    const created = await h.call('create_server', { name: 'chatty', capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    server = created.server;
    // Written to the container's own log (the streams of its first process): 3000 lines of 1 KB on stdout, then 3 on stderr.
    // Docker copies each stream on its own, so stderr is written only once the last stdout line is logged: otherwise it may be logged first, out of the newest MiB.
    const id = await childContainerId(server.container_id);
    const last = `line ${String(LINES - 1).padStart(5, '0')}`;
    await nodeSucceeds(id, `const fs=require('fs');const out=fs.openSync('/proc/1/fd/1','w');for(let i=0;i<${LINES};i++)fs.writeSync(out,'line '+String(i).padStart(5,'0')+' '+'x'.repeat(1000)+'\\n');`);
    await until('the last stdout line in the log', async () => ((await lastLogged(id, 'stdout')).startsWith(last) ? true : undefined));
    await nodeSucceeds(id, "const fs=require('fs');const err=fs.openSync('/proc/1/fd/2','w');for(let i=0;i<3;i++)fs.writeSync(err,'oops '+i+'\\n');");
    await until('the last stderr line in the log', async () => ((await lastLogged(id, 'stderr')) === 'oops 2' ? true : undefined));
  });
  after(async () => h?.stop());

  it('get_server_logs answers the newest lines that fit the byte cap, never the whole log', async () => {
    const r = await h.call('get_server_logs', { server_id: 'chatty', max_lines: 10000 });
    expect(r.status, JSON.stringify(r).slice(0, 300)).to.equal('success');
    const { stdout, stderr } = r.logs as { stdout: string[]; stderr: string[] };
    const bytes = [...stdout, ...stderr].reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    expect(bytes).to.be.at.most(LOG_READ_MAX_BYTES);
    expect(stdout.length).to.be.within(100, LINES - 1);
    expect(stdout.at(-1)).to.match(new RegExp(`^line ${String(LINES - 1).padStart(5, '0')} x+$`));
    expect(stderr).to.deep.equal(['oops 0', 'oops 1', 'oops 2']);
  });

  it('a small request is answered exactly', async () => {
    const r = await h.call('get_server_logs', { server_id: 'chatty', max_lines: 2 });
    expect(r.logs.stdout.map((l: string) => l.slice(0, 10))).to.deep.equal([`line ${String(LINES - 2).padStart(5, '0')}`, `line ${String(LINES - 1).padStart(5, '0')}`]);
    expect(r.logs.stderr).to.deep.equal(['oops 1', 'oops 2']);
  });
});
