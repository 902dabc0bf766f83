import fc from 'fast-check';

/** The JSON Schema subset the forge's tool input schemas use. */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
}

/** Arbitraries to use instead of the schema's, by property name (e.g. real server ids for `server_id`). */
export type Overrides = Record<string, fc.Arbitrary<unknown>>;

/** A character-class pattern such as ^[A-Za-z0-9_-]+$, rewritten to honour the length bounds directly. */
function boundedPattern(pattern: string, min: number, max: number): RegExp | null {
  const m = /^\^(\[[^\]]+\])[+*]\$$/.exec(pattern);
  return m ? new RegExp(`^${m[1]}{${min},${max}}$`) : null;
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, 40);
  // ajv counts code points, not UTF-16 units.
  const fits = (s: string) => [...s].length >= min && [...s].length <= max && (!schema.pattern || new RegExp(schema.pattern, 'u').test(s));
  if (schema.pattern) {
    const bounded = boundedPattern(schema.pattern, min, Math.min(max, min + 40));
    return (bounded ? fc.stringMatching(bounded) : fc.stringMatching(new RegExp(schema.pattern))).filter(fits);
  }
  // Mostly short, sometimes up to the bound: the edge of maxLength is where validation slips.
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: Math.min(max, min + 24) }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(max, min + 8) }) },
    { weight: 1, arbitrary: fc.constant('x'.repeat(max)) },
  ).filter(fits);
}

function ofType(type: string, schema: Schema, overrides: Overrides): fc.Arbitrary<unknown> {
  switch (type) {
    case 'object':
      return objectOf(schema, overrides);
    case 'string':
      return stringOf(schema);
    case 'integer':
      return fc.oneof(
        fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 }),
        fc.constantFrom(...[schema.minimum, schema.maximum].filter((v): v is number => v !== undefined).map(Math.ceil), 0).filter((v) => (schema.minimum ?? -Infinity) <= v && v <= (schema.maximum ?? Infinity)),
      );
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schema.items ? arbitraryFromSchema(schema.items, overrides) : fc.jsonValue({ maxDepth: 1 });
      const bounds = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 8, 8) };
      return schema.uniqueItems ? fc.uniqueArray(items, { ...bounds, selector: (v) => JSON.stringify(v) }) : fc.array(items, bounds);
    }
    default:
      throw new Error(`arbitraryFromSchema: type ${type} is not supported`);
  }
}

function objectOf(schema: Schema, overrides: Overrides): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([key, sub]) => [key, overrides[key] ?? arbitraryFromSchema(sub, overrides)]),
  );
  return fc.record(props, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<Record<string, unknown>>;
}

/**
 * Values a JSON Schema accepts, for fuzzing with valid input: object (properties, required;
 * no extra keys), string (minLength, maxLength, pattern, enum), integer and number (minimum,
 * maximum), boolean, null, array (items, minItems, maxItems, uniqueItems), const, anyOf/oneOf,
 * type lists, and an absent type (any JSON value).
 */
export function arbitraryFromSchema(schema: Schema, overrides: Overrides = {}): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => arbitraryFromSchema(b, overrides)));
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((t) => ofType(t, schema, overrides)));
  if (schema.type) return ofType(schema.type, schema, overrides);
  return fc.jsonValue({ maxDepth: 2 });
}
