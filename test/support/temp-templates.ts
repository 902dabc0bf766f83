import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinTemplatesDir } from '../../src/config/paths.js';

/** A copy of the shipped templates plus extra capability units, for tests; `remove` deletes it. */
export function tempTemplates(units: Record<string, { tools: string[]; handlers: string }>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-templates-'));
  cpSync(builtinTemplatesDir, dir, { recursive: true });
  for (const [name, unit] of Object.entries(units)) {
    const where = path.join(dir, 'capabilities', name);
    mkdirSync(where, { recursive: true });
    const tools = unit.tools.map((t) => ({ name: t, description: `test tool ${t}`, inputSchema: { type: 'object', properties: {} } }));
    writeFileSync(path.join(where, 'capability.json'), JSON.stringify({ name, kind: 'capability', version: '1.0.0', description: `test unit ${name}`, tools }));
    writeFileSync(path.join(where, 'handlers.js.njk'), unit.handlers);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
