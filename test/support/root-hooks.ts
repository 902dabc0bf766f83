import { countOf, labelled, removeLabelled } from './docker-leaks.js';
import { RUN_ID } from './test-env.js';

/**
 * Global fixtures: they run once in mocha's main process, before any worker starts (so every
 * worker inherits this run's id through the environment) and after the last file finished.
 * Suites remove what they create (containers through the forge's own delete_server); the
 * teardown then removes the test images and networks, asserts nothing else with the run's
 * label is left, removes whatever is, and fails the run if it found anything.
 */
export async function mochaGlobalSetup() {
  process.env.MCP_FORGE_TEST_RUN = RUN_ID;
}

export async function mochaGlobalTeardown() {
  const { removeTestImages } = await import('./forge-fixture.js');
  // A leaked service's task container still uses its image: the images go after it, below.
  const imagesLeft = await removeTestImages().then(() => null, (err: Error) => err);
  const leaked = await labelled();
  if (countOf(leaked) === 0) {
    if (imagesLeft) throw imagesLeft;
    return;
  }
  await removeLabelled();
  process.exitCode = 1;
  // The summary line CI reads counts this as a failure too.
  console.log(`\n  1 failing (Docker objects leaked by the tests, now removed: ${JSON.stringify(leaked)})`);
  throw new Error(`Docker objects leaked by the tests (now removed): ${JSON.stringify(leaked)}`);
}
