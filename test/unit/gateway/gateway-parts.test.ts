import { expect } from 'chai';
import { builtinTemplatesDir } from '../../../src/config/paths.js';
import { exposedName, exposedUri, MAX_NAME, parseUri } from '../../../src/gateway/exposed-name.js';
import { Router } from '../../../src/gateway/router.js';
import { UnreachableError, type ChildPool } from '../../../src/gateway/child-pool.js';
import type { ServerRecord } from '../../../src/registry/server-record.js';
import { CapabilityCatalog } from '../../../src/render/capability-catalog.js';
import { toCreateRequest } from '../../../src/servers/create-request.js';

const member = (id: string) => ({ id, name: id }) as ServerRecord;

describe('gateway names and routing', () => {
  it('names tools <prefix>__<tool>, and cuts a name past 64 characters (or with characters MCP refuses) to a stable hashed one', () => {
    expect(exposedName('weather', 'forecast')).to.equal('weather__forecast');
    const long = exposedName('a'.repeat(60), 'lookup');
    expect(long).to.have.length(MAX_NAME).and.match(/^a{51}-[0-9a-f]{12}$/);
    expect(exposedName('a'.repeat(60), 'lookup')).to.equal(long);
    expect(exposedName('a'.repeat(60), 'lookup2')).to.not.equal(long);
    expect(exposedName('srv', 'tool name/x')).to.match(/^srv__tool_name_x-[0-9a-f]{12}$/);
    expect(exposedName('srv', 'tool name/x')).to.match(/^[A-Za-z0-9_.-]{1,64}$/);
  });

  it('makes resource URIs unique under gateway://<prefix>/ and reads them back', () => {
    const uri = exposedUri('files', 'file:///etc/motd');
    expect(uri).to.equal('gateway://files/file:///etc/motd');
    expect(parseUri(uri)).to.deep.equal({ prefix: 'files', uri: 'file:///etc/motd' });
    expect(parseUri('system://version')).to.equal(null);
  });

  it('refuses "__" in a new server name, so <server_name>__<tool> splits one way only', async () => {
    const catalog = await CapabilityCatalog.load(builtinTemplatesDir);
    expect(() => toCreateRequest({ name: 'a__b' }, catalog)).to.throw('must not contain "__"');
    expect(toCreateRequest({ name: 'a_b-c' }, catalog).name).to.equal('a_b-c');
  });

  it('sends calls to the member with the fewest in flight, round the members on ties, and fails over only when a member cannot be reached', async () => {
    const inFlight: Record<string, number> = { a: 0, b: 0, c: 0 };
    const down: string[] = [];
    const router = new Router({ inFlight: (id: string) => inFlight[id] } as unknown as ChildPool, (m) => down.push(m.id));
    const members = ['a', 'b', 'c'].map(member);
    const order: string[] = [];
    for (let i = 0; i < 6; i++) order.push(await router.run('g', members, async (m) => m.id));
    expect(order).to.deep.equal(['a', 'b', 'c', 'a', 'b', 'c']);
    inFlight.a = 2;
    inFlight.c = 1;
    expect(router.order(members).map((m) => m.id)).to.deep.equal(['b', 'c', 'a']);

    const tried: string[] = [];
    const answer = await router.run('g', members, async (m) => {
      tried.push(m.id);
      if (m.id === 'b') throw new UnreachableError('server "b" cannot be reached');
      return m.id;
    });
    expect([answer, tried, down]).to.deep.equal(['c', ['b', 'c'], ['b']]);
    const toolError = router.run('g', members, async () => {
      throw new Error('the child answered with an error');
    });
    expect(await toolError.catch((e: Error) => e.message)).to.equal('the child answered with an error');
    const none = await router.run('g', [], async () => 'x').catch((e: Error) => e.message);
    expect(none).to.equal('"g" has no running member that answers');
  });
});
