// @ts-check
/** Longest line a child writes, in bytes with its newline: a chatty or hostile caller cannot make huge log lines. */
export const MAX_LINE_BYTES = 8192;

/** The first `bytes` bytes of `text` at most, never splitting a character. */
function cut(text, bytes) {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  return buf.subarray(0, bytes).toString('utf8').replace(/\uFFFD$/, '');
}

/** The line as written: whole when short enough, else a JSON line marked truncated that keeps the beginning. */
export function boundedLine(level, msg, fields) {
  const time = new Date().toISOString();
  const whole = JSON.stringify({ time, level, msg, ...fields }) + '\n';
  const bytes = Buffer.byteLength(whole);
  if (bytes <= MAX_LINE_BYTES) return whole;
  for (let budget = MAX_LINE_BYTES - 512; ; budget = Math.floor(budget * 0.7)) {
    const line = JSON.stringify({ time, level, msg: cut(String(msg), 256), truncated: true, bytes, head: cut(whole, budget) }) + '\n';
    if (Buffer.byteLength(line) <= MAX_LINE_BYTES) return line;
  }
}

/** One JSON line per event: info to stdout, warnings and errors to stderr (Docker keeps the streams apart). */
function write(stream, level, msg, fields) {
  stream.write(boundedLine(level, msg, fields));
}

export const log = {
  /** @param {string} msg @param {Record<string, unknown>} [fields] */
  info: (msg, fields = {}) => write(process.stdout, 'info', msg, fields),
  /** @param {string} msg @param {Record<string, unknown>} [fields] */
  warn: (msg, fields = {}) => write(process.stderr, 'warn', msg, fields),
  /** @param {string} msg @param {Record<string, unknown>} [fields] */
  error: (msg, fields = {}) => write(process.stderr, 'error', msg, fields),
};
