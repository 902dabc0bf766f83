import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinTemplatesDir, packageRoot } from '../../src/config/paths.js';

/** Test-only capability units (never shipped): test/fixtures/templates/capabilities/<name>. */
export const fixtureUnitsDir = path.join(packageRoot, 'test', 'fixtures', 'templates', 'capabilities');

function copyOfBuiltin() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-templates-'));
  cpSync(builtinTemplatesDir, dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of the shipped templates plus extra capability units, for tests; `remove` deletes it. */
export function tempTemplates(units: Record<string, { tools: string[]; handlers: string }>) {
  const templates = copyOfBuiltin();
  for (const [name, unit] of Object.entries(units)) {
    const where = path.join(templates.dir, 'capabilities', name);
    mkdirSync(where, { recursive: true });
    const tools = unit.tools.map((t) => ({ name: t, description: `test tool ${t}`, inputSchema: { type: 'object', properties: {} } }));
    writeFileSync(path.join(where, 'capability.json'), JSON.stringify({ name, kind: 'capability', version: '1.0.0', description: `test unit ${name}`, tools }));
    writeFileSync(path.join(where, 'handlers.js.njk'), unit.handlers);
  }
  return templates;
}

/** A copy of the shipped templates plus the named fixture units (a templates.dir for a test forge). */
export function fixtureTemplates(names: string[]) {
  const templates = copyOfBuiltin();
  for (const name of names) cpSync(path.join(fixtureUnitsDir, name), path.join(templates.dir, 'capabilities', name), { recursive: true });
  return templates;
}
