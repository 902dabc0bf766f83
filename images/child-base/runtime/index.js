// @ts-check
/**
 * What every rendered child imports (templates/child/server.js.njk). Started from the V8
 * startup snapshot (snapshot-entry.js), the runtime is already in memory; otherwise it is
 * loaded from the bundled file. No top-level await: the snapshot's main function loads the
 * program with require(), which refuses modules that have one.
 */
/** @type {typeof import('./child.js') | undefined} */
const preloaded = /** @type {any} */ (globalThis).__mcpForgeRuntime;

/** @type {typeof import('./child.js').startChild} */
export const startChild = (spec) => (preloaded ? preloaded.startChild(spec) : import('./child.js').then((m) => m.startChild(spec)));
