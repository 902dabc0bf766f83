import { expect } from 'chai';
import { cellText, formatBytes, formatDuration, formatPairs, formatTable } from '../../../src/client/table.js';

describe('CLI tables', () => {
  it('aligns columns to the widest cell, headers upper-case, no trailing spaces', () => {
    const text = formatTable(['id', 'name', 'port'], [['mcp-1', 'a', 9001], ['mcp-22', 'longer-name', null]]);
    expect(text.split('\n')).to.deep.equal(['ID      NAME         PORT', 'mcp-1   a            9001', 'mcp-22  longer-name  -']);
  });

  it('pads keys of key/value pairs to one width', () => {
    expect(formatPairs([['id', 'x'], ['capabilities', ['echo', 'time']], ['error', null]])).to.equal(
      'id            x\ncapabilities  echo,time\nerror         -',
    );
  });

  it('shows any value on one line', () => {
    expect(cellText('a\n  b')).to.equal('a b');
    expect(cellText([])).to.equal('-');
    expect(cellText({ a: 1 })).to.equal('{"a":1}');
    expect(cellText(0)).to.equal('0');
  });

  it('formats bytes and durations for people', () => {
    expect(formatBytes(512)).to.equal('512 B');
    expect(formatBytes(1536)).to.equal('1.5 KiB');
    expect(formatBytes(64 * 1024 * 1024)).to.equal('64.0 MiB');
    expect(formatDuration(0.4)).to.equal('0s');
    expect(formatDuration(3725.5)).to.equal('1h 2m 5s');
    expect(formatDuration(90061)).to.equal('1d 1h 1m');
  });
});
