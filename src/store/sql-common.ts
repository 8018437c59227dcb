// What the SQL back-ends share: field paths turned into SQL safely, and URLs redacted for messages.
import { createHash } from 'node:crypto';

/** A field name or dotted path (`extension.number`): letters, digits and underscores only. */
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The SQL expression reading `field` from the JSON document; the path is checked, never quoted in. */
export function fieldSql(field: string, read: (jsonPath: string) => string): string {
  if (!FIELD_PATH.test(field)) throw new TypeError(`store: ${JSON.stringify(field)} is not a field name or dotted path`);
  return read(`$.${field}`);
}

/**
 * The name of the index for one looked-up field. SQL folds identifier case, and fields may differ
 * only in case (`userName` and `username`), so the exact path's hash is part of the name.
 */
export function indexName(field: string, ci: boolean): string {
  const hash = createHash('sha256').update(`${ci ? 'i' : 's'}:${field}`).digest('hex').slice(0, 10);
  return `rows_by_${ci ? 'ci_' : ''}${field.replace(/\./g, '__').toLowerCase().slice(0, 30)}_${hash}`;
}

/** A lookup value as SQLite binds it (it has no booleans: JSON true/false read back as 1/0). */
export function jsonValue(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** A URL with its password replaced, for messages and logs. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return text.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}
