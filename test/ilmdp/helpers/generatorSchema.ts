/**
 * The generator part of schemas/ilmdp.schema.json as the environment registry defines it. The schema
 * test checks the file against it, so the schema's generators, keys, types and defaults cannot drift
 * from the parser's. After changing the registry, `npx tsx test/ilmdp/helpers/generatorSchema.ts --write`
 * rewrites that part of the file (from `"generatedMdp"` to the next definition) and leaves the rest.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_KINDS, ENVIRONMENTS, type EnvironmentParameter } from '../../../src/core/envs';
import { GENERATOR_FIELD_LIMITS } from '../../../src/ilmdp/limits';

export const SCHEMA_FILE = join(__dirname, '../../../schemas/ilmdp.schema.json');

function parameterSchema(p: EnvironmentParameter): Record<string, unknown> {
  const type =
    p.type === 'integer'
      ? { type: 'integer', minimum: p.min, ...(GENERATOR_FIELD_LIMITS[p.field] ? { maximum: GENERATOR_FIELD_LIMITS[p.field].max } : {}) }
      : p.type === 'number'
        ? { type: 'number', minimum: p.min, maximum: p.max }
        : p.type === 'choice'
          ? { enum: [...p.values] }
          : p.type === 'text'
            ? { type: 'string' }
            : { type: ['number', 'string'] };
  return { ...type, ...(p.default !== undefined ? { default: p.default } : {}), description: p.description };
}

/** `generatedMdp` (which generator, then that generator's definition) and one `generator-<kind>` per kind. */
export function generatorDefs(): Record<string, Record<string, unknown>> {
  const defs: Record<string, Record<string, unknown>> = {
    generatedMdp: {
      type: 'object',
      required: ['generator'],
      properties: { generator: { enum: [...ENVIRONMENT_KINDS] } },
      allOf: ENVIRONMENT_KINDS.map((kind) => ({ if: { properties: { generator: { const: kind } } }, then: { $ref: `#/$defs/generator-${kind}` } })),
    },
  };
  for (const kind of ENVIRONMENT_KINDS) {
    const entry = ENVIRONMENTS[kind];
    const parameters = entry.parameters as readonly EnvironmentParameter[];
    defs[`generator-${kind}`] = {
      description: entry.description,
      type: 'object',
      additionalProperties: false,
      required: ['generator', ...parameters.filter((p) => p.required).map((p) => p.key)],
      properties: {
        generator: { const: kind },
        description: { type: 'string' },
        ...Object.fromEntries(parameters.map((p) => [p.key, parameterSchema(p)])),
      },
    };
  }
  return defs;
}

/** JSON on one line in the file's style: `{ "type": "integer", "minimum": 1 }`. */
function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }`;
  return JSON.stringify(v);
}

/** The definitions as the file writes them: one line per key, and one per property or allOf branch. */
export function generatorDefsText(): string {
  const block = (v: unknown, indent: string): string => {
    if (Array.isArray(v)) return `[\n${v.map((x) => `${indent}  ${inline(x)}`).join(',\n')}\n${indent}]`;
    return `{\n${Object.entries(v as object).map(([k, x]) => `${indent}  ${JSON.stringify(k)}: ${inline(x)}`).join(',\n')}\n${indent}}`;
  };
  return Object.entries(generatorDefs())
    .map(([name, def]) => {
      const lines = Object.entries(def).map(([k, x]) => `      ${JSON.stringify(k)}: ${k === 'properties' || k === 'allOf' ? block(x, '      ') : inline(x)}`);
      return `    ${JSON.stringify(name)}: {\n${lines.join(',\n')}\n    }`;
    })
    .join(',\n');
}

/** The file's text with its generator part replaced by the registry's. */
export function schemaTextWithGenerators(text: string): string {
  const start = text.indexOf('    "generatedMdp": {');
  const end = text.indexOf('    "policyTable"');
  if (start < 0 || end < start) throw new Error(`${SCHEMA_FILE}: cannot find "generatedMdp" followed by "policyTable"`);
  return `${text.slice(0, start)}${generatorDefsText()},\n${text.slice(end)}`;
}

if (require.main === module && process.argv.includes('--write')) {
  writeFileSync(SCHEMA_FILE, schemaTextWithGenerators(readFileSync(SCHEMA_FILE, 'utf8')));
}
