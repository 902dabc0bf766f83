// @ts-check
/**
 * Builds the child's V8 startup snapshot (images/child-base/Dockerfile runs
 * `node --build-snapshot` on the bundled form of this file): the runtime's modules are
 * evaluated once, at image build time, and every child starts from the result. At start the
 * main function below loads the rendered program named on the command line.
 */
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import * as runtime from './child.js';

/** @type {any} */ (globalThis).__mcpForgeRuntime = runtime;

// Code compiled into a snapshot cannot import(); require() loads the (ES module) program.
v8.startupSnapshot.setDeserializeMainFunction(() => {
  const program = process.argv[1] ?? '/app/server.js';
  createRequire(program)(program);
});
