// @ts-check
/** One JSON line per event: info to stdout, warnings and errors to stderr (Docker keeps the streams apart). */
function write(stream, level, msg, fields) {
  stream.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n');
}

export const log = {
  /** @param {string} msg @param {Record<string, unknown>} [fields] */
  info: (msg, fields = {}) => write(process.stdout, 'info', msg, fields),
  /** @param {string} msg @param {Record<string, unknown>} [fields] */
  warn: (msg, fields = {}) => write(process.stderr, 'warn', msg, fields),
  /** @param {string} msg @param {Record<string, unknown>} [fields] */
  error: (msg, fields = {}) => write(process.stderr, 'error', msg, fields),
};
