// The README's settings tables, made from the schemas the admin API validates with and their
// `.describe()` texts, so the README, the OpenAPI document and the API cannot disagree.
// The start options' table comes from their one declaration (src/harness/start-options.ts) and the
// Dockerfile's ENV. `npm run docs:settings` rewrites them; test/settings-doc.test.ts fails when they are stale.
import type { z } from 'zod';
import { jsonSchemaOf, type JsonSchema } from '../src/http/openapi/route-doc.js';
import { appCreateInput } from '../src/idp/inputs.js';
import { accountInput, scimSettingsInput, ssoSettingsInput } from '../src/sp/inputs.js';
import { START_VARIABLES } from '../src/cli/start-environment.js';
import { START_OPTIONS, type StartOption } from '../src/harness/start-options.js';

/** Each table's name, as in its README markers `<!-- settings:NAME -->` … `<!-- /settings:NAME -->`. */
export const SETTINGS_TABLES: Record<string, z.ZodType> = {
  'sp-account': accountInput,
  'sp-sso': ssoSettingsInput,
  'sp-scim': scimSettingsInput,
  'idp-app': appCreateInput,
};

/** The table of `sso-harness start`'s options, from their one declaration. */
export const START_TABLE = 'start';

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

/** The image's environment (its defaults), from the Dockerfile's ENV lines. */
export function imageEnvironment(dockerfile: string): Map<string, string> {
  return new Map([...dockerfile.matchAll(/^\s*(?:ENV\s+)?([A-Z][A-Z0-9_]*)=(\S+?)\s*\\?$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** The start options (harness/start-options.ts) by variable, flag and config-file key, with their defaults in and out of the image. */
export function startOptionsTable(image: ReadonlyMap<string, string>): string {
  const name = (n: string | undefined): string => (n === undefined ? '—' : code(n));
  const rows = Object.values(START_OPTIONS as Record<string, StartOption>).map((o) => {
    const inImage = o.variable === undefined ? undefined : image.get(o.variable);
    // A default that is a value is code; one that is a sentence is not.
    const fallback = `${o.defaultText.includes(' ') ? o.defaultText : code(o.defaultText)}${inImage !== undefined && inImage !== o.defaultText ? ` (${code(inImage)})` : ''}`;
    return `| ${name(o.variable)} | ${name(o.flag)} | ${name(o.fileKey)} | ${cell(fallback)} | ${cell(o.doc)} |`;
  });
  const config = `| ${code(START_VARIABLES.config)} | \`--config\` | — | none: the demo | a config file (JSON or YAML) whose seed replaces the demo |`;
  return ['| variable | flag | config file | default (in the image) | what |', '|---|---|---|---|---|', ...rows, config].join('\n');
}

function replaceBlock(readme: string, name: string, table: string): string {
  const open = `<!-- settings:${name} -->`;
  const close = `<!-- /settings:${name} -->`;
  const start = readme.indexOf(open);
  const end = readme.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md has no ${open} … ${close} block`);
  return `${readme.slice(0, start + open.length)}\n${table}\n${readme.slice(end)}`;
}

/** The README with every settings table rewritten from the schemas; throws when a marker is missing. */
export function withSettingsTables(readme: string, dockerfile: string): string {
  let out = readme;
  for (const [name, schema] of Object.entries(SETTINGS_TABLES)) out = replaceBlock(out, name, settingsTable(schema));
  return replaceBlock(out, START_TABLE, startOptionsTable(imageEnvironment(dockerfile)));
}
