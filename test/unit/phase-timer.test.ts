import { expect } from 'chai';
import { PhaseTimer } from '../../src/servers/phase-timer.js';

describe('PhaseTimer', () => {
  it('times each phase from the previous lap, adding up repeated names', () => {
    const clock = [100, 130.04, 180, 180.5, 400];
    const timer = new PhaseTimer(() => clock.shift()!);
    timer.lap('render');
    timer.lap('build');
    timer.lap('render');
    timer.lap('ready');
    expect(timer.ms).to.deep.equal({ render: 30.5, build: 50, ready: 219.5 });
  });
});
