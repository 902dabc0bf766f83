import { expect } from 'chai';
import { until } from '../support/poll.js';
import { clusterEnv, dockerCli, inNetns, nodeState, serviceTasks, startNodeDaemon, stopNodeDaemon } from './cluster-env.js';

/**
 * The cluster run.sh built, checked before any forge runs on it: every worker is a Ready swarm
 * node with its labels, reaches the registry, and a plain `docker service create` placed on it
 * runs in its daemon and answers at its own address, not the manager's; a service on the pool of
 * workers moves to the other worker when its worker's daemon stops, and the daemon rejoins.
 */
const { nodes, registry, baseImage } = clusterEnv();
const SERVER = "require('http').createServer((q, r) => r.end(process.env.NODE_NAME)).listen(8080)";

describe('cluster: worker nodes', () => {
  for (const [i, node] of nodes.entries()) {
    describe(`${node.name} (${node.hostname}, ${node.address})`, () => {
      const service = `mcpfc-plain-${node.name}`;
      const port = 27900 + i;

      after(async () => {
        await dockerCli(null, 'service', 'rm', service).catch(() => undefined);
      });

      it('is a Ready, active worker with its labels and its own address', async () => {
        const info = JSON.parse(await dockerCli(null, 'node', 'inspect', node.id))[0];
        expect(info.Description.Hostname).to.equal(node.hostname);
        expect(info.Spec.Role).to.equal('worker');
        expect(info.Status.State).to.equal('ready');
        expect(info.Status.Addr).to.equal(node.address);
        expect(info.Spec.Labels).to.include({ 'mcp-forge.node': node.name, 'mcp-forge.pool': 'workers' });
      });

      it(`reaches the registry ${registry} and holds the child base pulled from it`, async () => {
        const catalog = JSON.parse(await inNetns(node, 'curl', '-fsS', `http://${registry}/v2/_catalog`));
        expect(catalog.repositories).to.include('mcp-forge-cluster/child-base');
        const digests = await dockerCli(node.engine, 'image', 'inspect', '--format', '{{json .RepoDigests}}', baseImage);
        expect(JSON.parse(digests)[0]).to.match(new RegExp(`^${registry}/mcp-forge-cluster/child-base@sha256:`));
      });

      it(`runs a service placed on it (host-mode port ${port}) that answers at ${node.address}, in its own daemon`, async () => {
        await dockerCli(null, 'service', 'create', '--detach', '--name', service, '--label', 'io.mcp-forge.cluster-test=1',
          '--constraint', `node.labels.mcp-forge.node==${node.name}`, '--publish', `mode=host,target=8080,published=${port}`,
          '--env', 'NODE_NAME={{.Node.Hostname}}', '--read-only', '--cap-drop', 'ALL', '--user', '1000:1000', '--limit-memory', '128m',
          baseImage, 'node', '-e', SERVER);
        const body = await until(`${service} to answer at ${node.address}:${port}`, async () => {
          const res = await fetch(`http://${node.address}:${port}/`, { signal: AbortSignal.timeout(2000) });
          return res.ok ? await res.text() : undefined;
        }, 120_000, 500);
        expect(body).to.equal(node.hostname);
        const onNode = await dockerCli(node.engine, 'ps', '--filter', `label=com.docker.swarm.service.name=${service}`, '--format', '{{.Names}}');
        const onManager = await dockerCli(null, 'ps', '--filter', `label=com.docker.swarm.service.name=${service}`, '--format', '{{.Names}}');
        expect(onNode).to.match(new RegExp(`^${service}\\.1\\.`));
        expect(onManager).to.equal('');
        await dockerCli(null, 'service', 'rm', service);
        await until(`${service}'s container to go from ${node.name}`, async () =>
          (await dockerCli(node.engine, 'ps', '-a', '-q', '--filter', `label=com.docker.swarm.service.name=${service}`)) === '' ? true : undefined, 60_000, 500);
      });
    });
  }

  describe('a worker lost and back', () => {
    const service = 'mcpfc-plain-pool';
    const port = 27910;
    const answer = (address: string) =>
      until(`${service} to answer at ${address}:${port}`, async () => {
        const res = await fetch(`http://${address}:${port}/`, { signal: AbortSignal.timeout(2000) });
        return res.ok ? await res.text() : undefined;
      }, 240_000, 500);

    before(function () {
      if (nodes.length < 2) this.skip();
    });
    after(async () => {
      await dockerCli(null, 'service', 'rm', service).catch(() => undefined);
    });

    it('reschedules a task on the other worker when its worker\'s daemon stops; the daemon rejoins as Ready', async () => {
      await dockerCli(null, 'service', 'create', '--detach', '--name', service, '--label', 'io.mcp-forge.cluster-test=1',
        '--constraint', 'node.labels.mcp-forge.pool==workers', '--publish', `mode=host,target=8080,published=${port}`,
        '--env', 'NODE_NAME={{.Node.Hostname}}', '--user', '1000:1000', baseImage, 'node', '-e', SERVER);
      const first = await until('the task to run', async () => (await serviceTasks(service)).find((t) => t.current.startsWith('Running'))?.node, 120_000, 500);
      const lost = nodes.find((n) => n.hostname === first)!;
      const other = nodes.find((n) => n !== lost)!;
      expect(await answer(lost.address)).to.equal(lost.hostname);

      const t0 = Date.now();
      await stopNodeDaemon(lost);
      await until(`${lost.hostname} to be down`, async () => ((await nodeState(lost)) === 'down' ? true : undefined), 90_000, 500);
      const downS = (Date.now() - t0) / 1000;
      expect(await answer(other.address)).to.equal(other.hostname);
      const movedS = (Date.now() - t0) / 1000;
      console.log(`      ${lost.hostname} down after ${downS.toFixed(0)} s; the task answered on ${other.hostname} after ${movedS.toFixed(0)} s`);

      await startNodeDaemon(lost);
      await until(`${lost.hostname} to be ready again`, async () => ((await nodeState(lost)) === 'ready' ? true : undefined), 90_000, 500);
      await dockerCli(null, 'service', 'rm', service);
    });
  });
});
