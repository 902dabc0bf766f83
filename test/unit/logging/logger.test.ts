import { expect } from 'chai';
import { createLogger, setLogLevel } from '../../../src/logging/logger.js';

describe('log level changes', () => {
  it('reach every logger made before the change, also those with a level of their own', () => {
    const lines: Array<{ level: number; who: string }> = [];
    const root = createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s)) });
    const plain = root.child({ who: 'plain' });
    const own = root.child({ who: 'own' }, { level: 'warn' });
    const grandchild = own.child({ who: 'grandchild' });
    const emit = () => [root, plain, own, grandchild].forEach((l) => l.debug({ who: l.bindings().who ?? 'root' }, 'x'));

    emit();
    expect(lines).to.have.length(0);
    setLogLevel(root, 'debug');
    emit();
    expect(lines.map((l) => l.who)).to.deep.equal(['root', 'plain', 'own', 'grandchild']);
    setLogLevel(root, 'error');
    [root, plain, own, grandchild].forEach((l) => l.warn('y'));
    expect(lines).to.have.length(4);
  });
});
