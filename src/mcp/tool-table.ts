import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { SchemaNode } from '../config/config-schema.js';
import { ForgeError } from '../errors/forge-error.js';
import { redact } from '../security/redact.js';
import type { ForgeTool } from './forge-tool.js';

/** Readable one-line reasons from ajv errors, named by parameter. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const where = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : '';
      if (e.keyword === 'additionalProperties') return `unknown parameter "${(e.params as { additionalProperty: string }).additionalProperty}"`;
      if (e.keyword === 'required') return `missing parameter "${(e.params as { missingProperty: string }).missingProperty}"`;
      if (e.keyword === 'enum') return `${where || 'arguments'} must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
      return `${where || 'arguments'} ${e.message}`;
    })
    .join('; ');
}

/** The forge's tools with their validators, compiled once and shared by every session. */
export class ToolTable {
  private readonly entries = new Map<string, { tool: ForgeTool; validate: ValidateFunction }>();

  constructor(tools: ForgeTool[]) {
    const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: false });
    for (const tool of tools) {
      if (this.entries.has(tool.name)) throw new Error(`tool ${tool.name} registered twice`);
      this.entries.set(tool.name, { tool, validate: ajv.compile(tool.inputSchema) });
    }
  }

  /** Read-only tools may be called with a read token and are not audited; unknown names count as state-changing. */
  isReadOnly(name: string): boolean {
    return this.entries.get(name)?.tool.annotations?.readOnlyHint === true;
  }

  /** A call's arguments as they may be recorded (audit log): secrets redacted by the tool's rule; all of them for an unknown tool. */
  recordedArguments(name: string, args: unknown): unknown {
    const tool = this.entries.get(name)?.tool;
    const schema: SchemaNode = !tool ? { writeOnly: true } : (tool.secretsIn?.((args ?? {}) as Record<string, unknown>) ?? (tool.inputSchema as SchemaNode));
    return redact(args ?? {}, { schema });
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  list(): ForgeTool[] {
    return [...this.entries.values()].map((e) => e.tool);
  }

  /** The tool and its arguments once they match its schema; ForgeError otherwise. */
  checked(name: string, args: unknown): { tool: ForgeTool; args: Record<string, unknown> } {
    const entry = this.entries.get(name);
    if (!entry) throw ForgeError.invalid(`unknown tool "${name}"; tools: ${[...this.entries.keys()].join(', ')}`);
    const value = args ?? {};
    if (!entry.validate(value)) throw ForgeError.invalid(`invalid arguments for ${name}: ${describeSchemaErrors(entry.validate.errors)}`);
    return { tool: entry.tool, args: value as Record<string, unknown> };
  }
}
