import { expect } from 'chai';
import { ForgeError } from '../../../src/errors/forge-error.js';
import { cacheKeyFor, parseNpmSpec } from '../../../src/sources/npm-spec.js';
import { checkSource, sourceArgsOf } from '../../../src/sources/source-args.js';
import { templateOf } from '../../../src/scaling/group-actions.js';
import type { ServerRecord } from '../../../src/registry/server-record.js';

const refused = (fn: () => unknown, pattern: RegExp) => {
  expect(fn).to.throw(ForgeError, pattern);
};

describe('npm package specs', () => {
  it('splits scoped and plain names from exact versions and ranges', () => {
    expect(parseNpmSpec('@modelcontextprotocol/server-memory@2026.8.31')).to.deep.equal({ name: '@modelcontextprotocol/server-memory', range: '2026.8.31' });
    expect(parseNpmSpec('left-pad@^1.3.0')).to.deep.equal({ name: 'left-pad', range: '^1.3.0' });
    expect(parseNpmSpec('x-y@>=1.0.0 <2')).to.deep.equal({ name: 'x-y', range: '>=1.0.0 <2' });
  });

  it("refuses what npm's rules refuse, dist-tags and missing versions", () => {
    refused(() => parseNpmSpec('@scope/pkg'), /<package>@<version>/);
    refused(() => parseNpmSpec('Capital@1.0.0'), /not a valid npm package name/);
    refused(() => parseNpmSpec('../evil@1.0.0'), /not a valid npm package name/);
    refused(() => parseNpmSpec('pkg@latest'), /not a semver version or range/);
    refused(() => parseNpmSpec('pkg@git+https://x/y.git'), /not a semver version or range/);
  });

  it('names cache folders without a slash', () => {
    expect(cacheKeyFor('@a/b', '1.2.3', 'abc')).to.equal('@a+b@1.2.3-abc');
  });
});

describe('source arguments', () => {
  it('needs exactly one of npm and image, and refuses image-only fields for npm', () => {
    refused(() => checkSource({}, undefined, {}), /exactly one of/);
    refused(() => checkSource({ npm: 'a@1.0.0', image: 'b' }, undefined, {}), /exactly one of/);
    refused(() => checkSource({ npm: 'a@1.0.0', port: 3000 }, undefined, {}), /source.port is for images/);
    refused(() => checkSource({ image: 'img:1', transport: 'http' }, undefined, {}), /source.port is required/);
    refused(() => checkSource({ image: 'Not A Ref' }, undefined, {}), /not a Docker image reference/);
  });

  it('refuses reserved or malformed env and secret names, secrets without a source, and mixing with units', () => {
    refused(() => checkSource({ npm: 'a@1.0.0', env: { FORGE_SERVER_ID: 'x' } }, undefined, {}), /reserved/);
    refused(() => checkSource({ npm: 'a@1.0.0' }, { 'bad-name': 'x' }, {}), /not an environment variable name/);
    refused(() => checkSource({ npm: 'a@1.0.0', env: { A: '1' } }, { A: '2' }, {}), /both in source.env and in secrets/);
    refused(() => checkSource(undefined, { A: '1' }, {}), /secrets are for bring-your-own/);
    refused(() => checkSource({ npm: 'a@1.0.0' }, undefined, { capabilities: ['echo'] }), /cannot be combined/);
    expect(() => checkSource({ image: 'registry.local:5000/team/mcp:1.2', transport: 'http', port: 80 }, { TOKEN: 'x' }, {})).to.not.throw();
  });

  it('re-creates a stored source from its resolved version', () => {
    const npm = sourceArgsOf({ type: 'npm', package: 'a', version: '1.2.3', requested: '^1.0.0', cache_key: 'k', bin_name: 'a', bin: 'cli.js', args: ['x'], env: { E: '1' } });
    expect(npm).to.deep.equal({ npm: 'a@1.2.3', bin: 'a', args: ['x'], env: { E: '1' } });
  });
});

describe('auto-scaling templates of source servers', () => {
  it('copy the source, so clones run the same resolved version', () => {
    const source = { type: 'npm', package: 'a', version: '1.2.3', requested: '^1.0.0', cache_key: 'k', bin_name: 'a', bin: 'cli.js', args: [], env: {} } as const;
    const record = { id: 'mcp-1', description: 'd', capabilities: [], handlers: [], options: {}, limits: {}, credentials: null, source } as unknown as ServerRecord;
    const template = templateOf(record);
    expect(template.source).to.deep.equal(source);
    expect(template.source).to.not.equal(source);
    expect(sourceArgsOf(template.source!).npm).to.equal('a@1.2.3');
  });
});
