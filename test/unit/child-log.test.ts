import { expect } from 'chai';

type Log = Record<'info' | 'warn' | 'error', (msg: string, fields?: Record<string, unknown>) => void>;

describe('child runtime log lines', () => {
  let log: Log;
  let MAX_LINE_BYTES: number;
  before(async () => {
    // Plain JS of the child image (no types): loaded as the child loads it.
    ({ log, MAX_LINE_BYTES } = (await import('../../images/child-base/runtime/log.js' as string)) as { log: Log; MAX_LINE_BYTES: number });
  });
  const capture = (fn: () => void) => {
    const lines: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      fn();
    } finally {
      process.stderr.write = original;
    }
    return lines;
  };

  it('are cut to a bound, stay one JSON line and say they were cut', () => {
    const [line] = capture(() => log.error('tool failed', { tool: 'x', error: 'é'.repeat(100_000) + '\nsecond line' }));
    expect(MAX_LINE_BYTES).to.equal(8192);
    expect(Buffer.byteLength(line!)).to.be.at.most(MAX_LINE_BYTES);
    expect(line!.endsWith('\n')).to.equal(true);
    expect(line!.slice(0, -1)).to.not.contain('\n');
    const parsed = JSON.parse(line!);
    expect(parsed).to.include({ level: 'error', msg: 'tool failed', truncated: true });
    expect(parsed.bytes).to.be.greaterThan(200_000);
  });

  it('are written whole below the bound', () => {
    const [line] = capture(() => log.warn('short', { n: 1 }));
    expect(JSON.parse(line!)).to.include({ level: 'warn', msg: 'short', n: 1 });
    expect(JSON.parse(line!).truncated).to.equal(undefined);
  });
});
