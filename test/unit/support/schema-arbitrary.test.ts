import { Ajv } from 'ajv';
import { expect } from 'chai';
import fc from 'fast-check';
import { arbitraryFromSchema, type Schema } from '../../support/schema-arbitrary.js';

describe('arbitraryFromSchema (the fuzz test\'s valid-argument generator)', () => {
  const schemas: Record<string, Schema> = {
    names: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' },
        description: { type: 'string', minLength: 5, maxLength: 20 },
        mode: { type: 'string', enum: ['a', 'b'] },
      },
      required: ['name'],
      additionalProperties: false,
    },
    numbers: {
      type: 'object',
      properties: { n: { type: 'integer', minimum: 1, maximum: 10000 }, x: { type: 'number', minimum: 0, maximum: 604800 }, v: { type: ['number', 'null'] }, b: { type: 'boolean' } },
      required: ['n', 'x', 'v'],
      additionalProperties: false,
    },
    lists: {
      type: 'object',
      properties: { ids: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 128 }, minItems: 1, maxItems: 100, uniqueItems: true }, any: {} },
      required: ['ids'],
      additionalProperties: false,
    },
  };
  for (const [what, schema] of Object.entries(schemas)) {
    it(`every value it draws is accepted by ajv: ${what}`, () => {
      const accepts = new Ajv({ strict: false }).compile(schema);
      fc.assert(fc.property(arbitraryFromSchema(schema), (v) => accepts(JSON.parse(JSON.stringify(v)))), { numRuns: 300 });
    });
  }

  it('uses an override for a property by name', () => {
    const values = fc.sample(arbitraryFromSchema(schemas.names!, { name: fc.constant('keeper') }), 20) as Array<{ name: string }>;
    expect(new Set(values.map((v) => v.name))).to.deep.equal(new Set(['keeper']));
  });
});
