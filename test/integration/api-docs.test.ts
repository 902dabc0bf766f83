import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { effectOf } from '../../src/config/config-keys.js';
import { configSchema } from '../../src/config/load-config.js';
import { packageRoot } from '../../src/config/paths.js';
import { ERROR_CODES } from '../../src/errors/forge-error.js';
import { startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { codeName, markdownSections, type DocSection } from '../support/markdown-sections.js';

const API_MD = path.join(packageRoot, 'docs', 'api.md');

/** `### \`name\`` headings of a section, by name. */
function entries(doc: Map<string, DocSection>, title: string, problems: string[]): Map<string, string> {
  const section = doc.get(title);
  if (!section) problems.push(`no "## ${title}" section`);
  return new Map([...(section?.subsections ?? [])].flatMap(([heading, text]) => (codeName(heading) ? [[codeName(heading)!, text]] : [])));
}

/**
 * docs/api.md against what a running forge serves (tools/list, resources/list,
 * resources/templates/list), the error codes and the config schema. Each failure line says
 * what to add or remove, so a branch adding a tool learns exactly what to document.
 */
describe('docs/api.md matches the running forge', () => {
  let h: ForgeHandle;
  before(async () => {
    h = await startForge();
  });
  after(async () => h?.stop());

  it('documents every tool with each parameter, every resource, error code and config key, and nothing that is gone', async () => {
    const doc = markdownSections(readFileSync(API_MD, 'utf8'));
    const problems: string[] = [];

    const documentedTools = entries(doc, 'Tools', problems);
    const { tools } = await h.client.listTools();
    for (const tool of tools) {
      const text = documentedTools.get(tool.name);
      if (text === undefined) {
        problems.push(`tool ${tool.name}: add a "### \`${tool.name}\`" heading under "## Tools"`);
        continue;
      }
      for (const param of Object.keys(tool.inputSchema.properties ?? {})) {
        if (!text.includes(`\`${param}\``)) problems.push(`tool ${tool.name}: parameter \`${param}\` is not mentioned in its section`);
      }
    }
    for (const name of documentedTools.keys()) {
      if (!tools.some((t) => t.name === name)) problems.push(`tool ${name}: documented under "## Tools" but the forge does not serve it`);
    }

    const documentedResources = entries(doc, 'Resources', problems);
    const { resourceTemplates } = await h.client.listResourceTemplates();
    const templates = resourceTemplates.map((t) => t.uriTemplate);
    const concrete = (uri: string) => templates.some((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(uri));
    const fixed = (await h.client.listResources()).resources.map((r) => r.uri).filter((uri) => !concrete(uri));
    for (const uri of [...fixed, ...templates]) {
      if (!documentedResources.has(uri)) problems.push(`resource ${uri}: add a "### \`${uri}\`" heading under "## Resources"`);
    }
    for (const uri of documentedResources.keys()) {
      if (![...fixed, ...templates].includes(uri)) problems.push(`resource ${uri}: documented under "## Resources" but the forge does not serve it`);
    }

    const errors = doc.get('Error codes')?.text ?? '';
    for (const code of ERROR_CODES) if (!errors.includes(`\`${code}\``)) problems.push(`error code ${code}: not under "## Error codes"`);

    const keys = doc.get('Configuration keys')?.text ?? '';
    const schemaKeys = Object.entries(configSchema.properties as Record<string, { properties: object }>).flatMap(([section, schema]) =>
      Object.keys(schema.properties).map((key) => [section, key] as const),
    );
    for (const documented of keys.matchAll(/^\| `([a-z_]+\.[a-z_]+)` /gm)) {
      if (!schemaKeys.some(([s, k]) => `${s}.${k}` === documented[1])) problems.push(`config key ${documented[1]}: documented but not in config/schema.json`);
    }
    for (const [section, key] of schemaKeys) {
      const row = keys.split('\n').find((line) => line.startsWith(`| \`${section}.${key}\` `));
      const effect = effectOf(`${section}.${key}`);
      if (!row) problems.push(`config key ${section}.${key}: add a "| \`${section}.${key}\` | ... | ${effect} | ..." row under "## Configuration keys"`);
      else if (!row.includes(`| ${effect} |`)) problems.push(`config key ${section}.${key}: its row must say "| ${effect} |"`);
    }

    expect(problems, `docs/api.md is out of date:\n  - ${problems.join('\n  - ')}\n`).to.deep.equal([]);
  });
});
