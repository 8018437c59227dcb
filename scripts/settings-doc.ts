// The README's settings tables, made from the schemas the admin API validates with and their
// `.describe()` texts, so the README, the OpenAPI document and the API cannot disagree.
// `npm run docs:settings` rewrites them; test/settings-doc.test.ts fails when they are stale.
import type { z } from 'zod';
import { jsonSchemaOf, type JsonSchema } from '../src/http/openapi/route-doc.js';
import { appCreateInput } from '../src/idp/inputs.js';
import { accountInput, scimSettingsInput, ssoSettingsInput } from '../src/sp/inputs.js';

/** Each table's name, as in its README markers `<!-- settings:NAME -->` … `<!-- /settings:NAME -->`. */
export const SETTINGS_TABLES: Record<string, z.ZodType> = {
  'sp-account': accountInput,
  'sp-sso': ssoSettingsInput,
  'sp-scim': scimSettingsInput,
  'idp-app': appCreateInput,
};

const code = (v: unknown): string => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

/** A short type: `boolean`, `integer 0–3600`, one of `a`, `b`… */
/** A schema keyword's value as text: numbers and words as they are, a list as its items. */
function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).join(',');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function typeOf(s: JsonSchema): string {
  if (Array.isArray(s.enum)) return s.enum.map(code).join(', ');
  if (s.const !== undefined) return code(s.const);
  if (Array.isArray(s.anyOf)) return (s.anyOf as JsonSchema[]).map(typeOf).join(' or ');
  if (Array.isArray(s.oneOf)) return 'object';
  const range = (min: unknown, max: unknown): string =>
    min !== undefined && max !== undefined ? ` ${text(min)}–${text(max)}` : max !== undefined ? ` ≤ ${text(max)}` : min !== undefined ? ` ≥ ${text(min)}` : '';
  switch (s.type) {
    case 'integer':
    case 'number':
      return `${s.type}${range(s.minimum, s.maximum)}`;
    case 'string':
      return s.format === 'uri' ? 'URL' : `text${range(undefined, s.maxLength)}`;
    case 'array':
      return `list${s.maxItems !== undefined ? ` (≤ ${text(s.maxItems)})` : ''}`;
    case 'null':
      return '`null`';
    default:
      return text(s.type ?? 'any');
  }
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** One row per field; an object whose every field is described gets a row per field (`rules.namesRequired`). */
function rows(props: Record<string, JsonSchema>, prefix = ''): string[] {
  return Object.entries(props).flatMap(([name, s]) => {
    const nested = s.properties as Record<string, JsonSchema> | undefined;
    const lines = [`| \`${prefix}${name}\` | ${cell(typeOf(s))} | ${cell(text(s.description ?? ''))} |`];
    if (nested && Object.values(nested).every((p) => p.description)) lines.push(...rows(nested, `${prefix}${name}.`));
    return lines;
  });
}

export function settingsTable(schema: z.ZodType): string {
  const props = (jsonSchemaOf(schema).properties ?? {}) as Record<string, JsonSchema>;
  return ['| setting | type | what |', '|---|---|---|', ...rows(props)].join('\n');
}

/** The README with every settings table rewritten from the schemas; throws when a marker is missing. */
export function withSettingsTables(readme: string): string {
  let out = readme;
  for (const [name, schema] of Object.entries(SETTINGS_TABLES)) {
    const open = `<!-- settings:${name} -->`;
    const close = `<!-- /settings:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) throw new Error(`README.md has no ${open} … ${close} block`);
    out = `${out.slice(0, start + open.length)}\n${settingsTable(schema)}\n${out.slice(end)}`;
  }
  return out;
}
