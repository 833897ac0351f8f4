// The docs are part of the contract: these tests fail when docs/policy.md, docs/reasons.md or
// docs/errors.md drift from the JSON Schema, the reason-code list or the deny mapping.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DENY_MAPPING, policySchema, REASON_CODES } from '../src/index.js';

const docs = (name: string) => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

/** First-column backticked name → the row's cells, for every markdown table row of a page. */
function tableRows(markdown: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of markdown.split('\n')) {
    // Cells may be padded (Biome formats tables); `\|` inside a cell is an escaped pipe.
    const match = /^\|\s*`([^`]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (match)
      rows.set(
        match[1] as string,
        (match[2] as string).split(/(?<!\\)\|/).map((cell) => cell.trim()),
      );
  }
  return rows;
}

type Schema = Record<string, unknown>;
interface Field {
  readonly path: string;
  readonly default: unknown;
}

function schemaFields(): Field[] {
  const definitions = policySchema.definitions as Record<string, Schema>;
  const resolve = (schema: Schema): Schema =>
    typeof schema.$ref === 'string'
      ? resolve(definitions[schema.$ref.replace('#/definitions/', '')] as Schema)
      : schema;
  const fields: Field[] = [];
  const walk = (raw: Schema, prefix: string) => {
    const schema = resolve(raw);
    for (const branch of (schema.oneOf as Schema[] | undefined) ?? []) walk(branch, prefix);
    if (schema.type === 'array' && schema.items) walk(schema.items as Schema, `${prefix}[]`);
    const properties = schema.properties as Record<string, Schema> | undefined;
    for (const [name, child] of Object.entries(properties ?? {})) {
      const path = prefix ? `${prefix}.${name}` : name;
      const resolved = resolve(child);
      if (!fields.some((f) => f.path === path))
        fields.push({ path, default: resolved.default ?? child.default });
      walk(child, path);
    }
  };
  walk(policySchema as Schema, '');
  return fields;
}

const formatDefault = (value: unknown): string =>
  Array.isArray(value) ? `[${value.join(', ')}]` : typeof value === 'string' ? value : String(value);

describe('docs/policy.md', () => {
  const page = docs('policy.md');
  const fieldsSection = page.slice(
    page.indexOf('## Fields'),
    page.indexOf('\n## ', page.indexOf('## Fields') + 1),
  );
  const rows = tableRows(fieldsSection);
  const fields = schemaFields();

  it('documents every schema field, with the schema default', () => {
    assert.ok(fields.length > 40, `walked ${fields.length} fields`);
    for (const field of fields) {
      const row = rows.get(field.path);
      assert.ok(row, `docs/policy.md has no row for \`${field.path}\``);
      if (field.default !== undefined) {
        assert.equal(row[1]?.replaceAll('`', ''), formatDefault(field.default), `default of ${field.path}`);
      }
    }
  });

  it('documents no field the schema does not have', () => {
    const known = new Set(fields.map((f) => f.path));
    for (const path of rows.keys()) {
      assert.ok(known.has(path), `docs/policy.md documents \`${path}\`, which the schema does not have`);
    }
  });
});

describe('docs/reasons.md', () => {
  const rows = tableRows(docs('reasons.md'));
  it('documents every reason code and no other', () => {
    assert.deepEqual([...rows.keys()].sort(), [...REASON_CODES].sort());
  });
  it('states the status and RFC 6750 error of each deny code as the deny mapping does', () => {
    for (const [code, mapping] of Object.entries(DENY_MAPPING)) {
      const row = rows.get(code) as string[];
      assert.equal(row[1], String(mapping.status), `status of ${code}`);
      if (mapping.error && mapping.error !== 'temporarily_unavailable') {
        assert.ok(row[2]?.includes(`\`${mapping.error}\``), `error of ${code}`);
      } else {
        assert.ok(row[2]?.startsWith('—'), `${code} has no RFC 6750 error code in its challenge`);
      }
    }
  });
});

describe('docs/errors.md', () => {
  it('documents every thrown error code', () => {
    const source = readFileSync(new URL('../src/errors/certbound-error.ts', import.meta.url), 'utf8');
    const codes = [...source.matchAll(/'(ERR_[A-Z_]+)'/g)].map((m) => m[1] as string);
    const rows = tableRows(docs('errors.md'));
    assert.ok(codes.length >= 5);
    for (const code of new Set(codes)) assert.ok(rows.has(code), `docs/errors.md lacks ${code}`);
  });
});
