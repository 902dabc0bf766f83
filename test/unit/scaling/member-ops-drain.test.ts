import { expect } from 'chai';
import { MemberOps } from '../../../src/scaling/member-ops.js';

/** The wiring in forge.ts passes Gateway.drain as `drain`: a member is deleted only once its calls are done. */
describe('scaling: a member is drained before it is removed', () => {
  it('waits for drain to finish before deleting, and deletes nothing if drain fails', async () => {
    const steps: string[] = [];
    let finishDrain!: () => void;
    const ops = new MemberOps({
      drain: (id: string) => (steps.push(`drain ${id}`), new Promise<void>((resolve) => (finishDrain = resolve))),
      lifecycle: { delete: async (id: string) => (steps.push(`delete ${id}`), { deleted: id }) },
    } as unknown as ConstructorParameters<typeof MemberOps>[0]);
    const removing = ops.remove('mcp-1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(steps).to.deep.equal(['drain mcp-1']);
    finishDrain();
    expect(await removing).to.deep.equal({ deleted: 'mcp-1' });
    expect(steps).to.deep.equal(['drain mcp-1', 'delete mcp-1']);

    const failing = new MemberOps({
      drain: async () => Promise.reject(new Error('drain broke')),
      lifecycle: { delete: async (id: string) => steps.push(`delete ${id}`) },
    } as unknown as ConstructorParameters<typeof MemberOps>[0]);
    await failing.remove('mcp-2').then(() => expect.fail('removed'), (err: Error) => expect(err.message).to.equal('drain broke'));
    expect(steps).to.not.include('delete mcp-2');
  });
});
