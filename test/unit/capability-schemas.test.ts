import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { builtinTemplatesDir } from '../../src/config/paths.js';

/** Paths (in one schema) of strings without maxLength, arrays without maxItems, open objects without maxProperties. */
function unbounded(schema: any, at: string, found: string[]): string[] {
  if (!schema || typeof schema !== 'object') return found;
  const types = [schema.type].flat();
  if (types.includes('string') && schema.maxLength === undefined) found.push(`${at}: string without maxLength`);
  if (types.includes('array') && schema.maxItems === undefined) found.push(`${at}: array without maxItems`);
  if (types.includes('object') && schema.additionalProperties && schema.additionalProperties !== false && schema.maxProperties === undefined) {
    found.push(`${at}: object with open keys without maxProperties`);
  }
  for (const [name, sub] of Object.entries(schema.properties ?? {})) unbounded(sub, `${at}.${name}`, found);
  if (typeof schema.additionalProperties === 'object') unbounded(schema.additionalProperties, `${at}.*`, found);
  if (schema.items) unbounded(schema.items, `${at}[]`, found);
  return found;
}

describe('shipped capability input schemas', () => {
  it('bound every string, array and open object a caller sends', async () => {
    const root = path.join(builtinTemplatesDir, 'capabilities');
    const found: string[] = [];
    let tools = 0;
    for (const unit of await readdir(root)) {
      const manifest = JSON.parse(await readFile(path.join(root, unit, 'capability.json'), 'utf8'));
      for (const tool of manifest.tools ?? []) {
        tools++;
        unbounded(tool.inputSchema, `${unit}/${tool.name}`, found);
      }
    }
    expect(tools).to.be.greaterThan(10);
    expect(found).to.deep.equal([]);
  });
});
