import { expect } from 'chai';
import { builtinTemplatesDir } from '../../src/config/paths.js';
import { CapabilityCatalog } from '../../src/render/capability-catalog.js';
import { ChildContextRenderer } from '../../src/render/child-context.js';

describe('child build context rendering', () => {
  let renderer: ChildContextRenderer;
  before(async () => {
    const catalog = await CapabilityCatalog.load(builtinTemplatesDir);
    renderer = new ChildContextRenderer(builtinTemplatesDir, catalog, { childBase: 'mcp-forge/child-base:1', containerPort: 8080, childUid: 10001 });
  });

  it('renders a Dockerfile FROM the child base, the entry point, manifest and one module per capability', () => {
    const ctx = renderer.render({ capabilities: ['time', 'echo'] }, 'sha256:base');
    expect([...ctx.files.keys()].sort()).to.deep.equal(['Dockerfile', 'app/capabilities/echo.js', 'app/capabilities/time.js', 'app/manifest.json', 'app/server.js']);
    expect(ctx.files.get('Dockerfile')).to.match(/^FROM mcp-forge\/child-base:1$/m);
    expect(ctx.files.get('app/server.js')).to.contain('import * as capability1 from "./capabilities/echo.js";');
    expect(JSON.parse(ctx.files.get('app/manifest.json')!).capabilities.map((c: any) => c.name)).to.deep.equal(['echo', 'time']);
  });

  it('is deterministic and independent of capability order', () => {
    expect(renderer.render({ capabilities: ['echo', 'time'] }, 'b').hash).to.equal(renderer.render({ capabilities: ['time', 'echo'] }, 'b').hash);
  });

  it('refuses a capability the catalog does not know', () => {
    expect(() => renderer.render({ capabilities: ['nope'] }, 'b')).to.throw(/unknown capability: nope/);
  });
});
