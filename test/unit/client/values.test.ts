import { expect } from 'chai';
import { UsageError } from '../../../src/client/cli-error.js';
import { parseAssignments, parseValue } from '../../../src/client/values.js';

describe('CLI key=value arguments', () => {
  it('reads JSON where it parses and plain strings otherwise', () => {
    expect(parseAssignments(['n=5', 'f=80.0', 'b=true', 'z=null', 's=debug', 'q="12"', 'words=Example MCP server', 'empty='])).to.deep.equal({
      n: 5,
      f: 80,
      b: true,
      z: null,
      s: 'debug',
      q: '12',
      words: 'Example MCP server',
      empty: '',
    });
  });

  it('keeps everything after the first = in the value', () => {
    expect(parseAssignments(['url=http://h/?a=b'])).to.deep.equal({ url: 'http://h/?a=b' });
  });

  it('reads JSON lists and objects', () => {
    expect(parseValue('["echo","time"]')).to.deep.equal(['echo', 'time']);
    expect(parseValue('{"persistence":"sqlite","n":2}')).to.deep.equal({ persistence: 'sqlite', n: 2 });
  });

  it('reads lists and objects whose quotes the shell removed, bare words as strings', () => {
    expect(parseValue('[echo,time,uptime]')).to.deep.equal(['echo', 'time', 'uptime']);
    expect(parseValue('[ ]')).to.deep.equal([]);
    expect(parseValue('{persistence:sqlite,auth:basic}')).to.deep.equal({ persistence: 'sqlite', auth: 'basic' });
    expect(parseValue('{limits:{cpu:50,mem:null},tags:[a, "b,c"], on:true}')).to.deep.equal({
      limits: { cpu: 50, mem: null },
      tags: ['a', 'b,c'],
      on: true,
    });
    expect(parseValue('[http://x:1/y]')).to.deep.equal(['http://x:1/y']);
  });

  it('refuses broken lists and objects, words without =, and a key given twice', () => {
    for (const bad of ['[echo', '[a,,b]', '{a}', '{a:1', '[a] b']) {
      expect(() => parseValue(bad, 'capabilities'), bad).to.throw(UsageError, /cannot read the value of capabilities/);
    }
    expect(() => parseAssignments(['echo'])).to.throw(UsageError, /expected key=value, got "echo"/);
    expect(() => parseAssignments(['=x'])).to.throw(UsageError, /expected key=value/);
    expect(() => parseAssignments(['a=1', 'a=2'])).to.throw(UsageError, /"a" given twice/);
  });
});
