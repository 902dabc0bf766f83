// @ts-check
/**
 * Builds the child's V8 startup snapshot (images/child-base/Dockerfile runs
 * `node --build-snapshot` on the bundled form of this file): the runtime's modules are
 * evaluated once, at image build time, and every child starts from the result. At start the
 * main function below loads the rendered program named on the command line.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as runtime from './child.js';

/** @type {any} */ (globalThis).__mcpForgeRuntime = runtime;

/**
 * Code compiled into a snapshot cannot import(), so the (ES module) program is loaded with
 * require(). A program whose modules use top-level await (a capability unit may) cannot be
 * required: it is imported through a function compiled now, after start-up, which can.
 * @param {string} program
 */
function load(program) {
  try {
    createRequire(program)(program);
  } catch (err) {
    if (/** @type {{ code?: string }} */ (err).code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
    // Node 20 prints one ExperimentalWarning for vm's main-context loader: the price of this path.
    const dynamicImport = new vm.Script('(specifier) => import(specifier)', {
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    }).runInThisContext();
    dynamicImport(pathToFileURL(program).href).catch((/** @type {unknown} */ failure) => {
      console.error(failure);
      process.exit(1);
    });
  }
}

v8.startupSnapshot.setDeserializeMainFunction(() => load(process.argv[1] ?? '/app/server.js'));
