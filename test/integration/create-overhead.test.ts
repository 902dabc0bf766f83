import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import type { ServerRecord } from '../../src/registry/server-record.js';
import type { ChildSpec } from '../../src/runtime/runtime.js';
import { startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { RUN_ID } from '../support/test-env.js';

describe('create_server: a short registry lock and two writes of the record', function () {
  let h: ForgeHandle;
  before(async () => {
    h = await startForge();
  });
  after(async () => h?.stop());

  it('lists Docker ports outside the lock, writes the record once before Docker is touched and once when ready', async () => {
    const registry = h.forge.registry;
    const containers = h.forge.services.runtime.children;
    const original = { insert: registry.insert, update: registry.update, publishedPorts: containers.publishedPorts, deploy: containers.deploy };
    const steps: string[] = [];
    const listedUnderLock: boolean[] = [];
    registry.insert = async (record: ServerRecord) => {
      steps.push(`registry insert (${record.phase})`);
      return original.insert.call(registry, record);
    };
    registry.update = async (id: string, patch: Partial<ServerRecord>) => {
      steps.push(`registry update (${patch.phase ?? Object.keys(patch).join(', ')})`);
      return original.update.call(registry, id, patch);
    };
    containers.publishedPorts = async () => {
      // Held by this create, the lock would wait for the create, which waits for this listing: a timeout shows it held.
      const free = await Promise.race([registry.lock.run(() => true), delay(1000).then(() => false)]);
      listedUnderLock.push(!free);
      return original.publishedPorts.call(containers);
    };
    containers.deploy = async (spec: ChildSpec) => {
      steps.push('docker create');
      return original.deploy.call(containers, spec);
    };
    try {
      // options.auth: credentials (scrypt) are part of this create's plan.
      const created = await h.call('create_server', { name: `lean-${RUN_ID.slice(-8)}`, capabilities: ['echo'], options: { auth: 'basic' } });
      expect(created.status, JSON.stringify(created)).to.equal('success');
      expect(created.credentials?.password).to.be.a('string');
    } finally {
      Object.assign(registry, { insert: original.insert, update: original.update });
      Object.assign(containers, { publishedPorts: original.publishedPorts, deploy: original.deploy });
    }
    expect(listedUnderLock, 'Docker port listings: was the registry lock held?').to.include(false).and.not.include(true);
    // The daemon is shared: a host port taken meanwhile by someone else's container is replaced (a port write and a second create).
    const lean = steps.filter((step, i) => step !== 'registry update (port)' && !(step === 'docker create' && steps[i - 1] === 'registry update (port)'));
    expect(lean, JSON.stringify(steps)).to.deep.equal(['registry insert (creating)', 'docker create', 'registry update (ready)']);
  });
});
