import { expect } from 'chai';
import { parseMemAvailable, parseNetDev } from '../../../src/monitor/system-stats.js';

describe('host stats parsing', () => {
  it('sums /proc/net/dev over every interface but loopback', () => {
    const text = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo: 5000      10    0    0    0     0          0         0     5000      10    0    0    0     0       0          0',
      '  eth0: 1200      10    0    0    0     0          0         0      300       3    0    0    0     0       0          0',
      'docker0:  34       1    0    0    0     0          0         0       56       1    0    0    0     0       0          0',
    ].join('\n');
    expect(parseNetDev(text)).to.deep.equal({ recv: 1234, sent: 356 });
  });

  it('reads MemAvailable in bytes', () => {
    expect(parseMemAvailable('MemTotal:       24684096 kB\nMemFree:  100 kB\nMemAvailable:   23757388 kB\n')).to.equal(23757388 * 1024);
    expect(parseMemAvailable('MemTotal: 1 kB\n')).to.equal(null);
  });
});
