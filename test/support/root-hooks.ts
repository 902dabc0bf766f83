import { countOf, labelled, removeLabelled } from './docker-leaks.js';

/**
 * Suites remove what they create (containers through the forge's own delete_server, test
 * images at the end). This hook then asserts nothing with the run's label is left, removes
 * whatever is, and fails the run if it found anything.
 */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(120_000);
    const { removeTestImages } = await import('./forge-fixture.js');
    await removeTestImages();
    const leaked = await labelled();
    if (countOf(leaked) === 0) return;
    await removeLabelled();
    throw new Error(`Docker objects leaked by the tests (now removed): ${JSON.stringify(leaked)}`);
  },
};
