// The Attributes form read into the attribute statements the application settings take. The
// blank last row adds nothing; a Remove button names the row it drops.
import { HarnessError } from '../../errors.js';
import { MAX_ATTRIBUTE_STATEMENTS, type AppSettings } from '../../idp/inputs.js';
import type { UserProperty } from '../../idp/model.js';

type StatementInput = NonNullable<AppSettings['attributes']>[number];

export function attributesFormInput(body: unknown): StatementInput[] {
  const form = (body ?? {}) as Record<string, unknown>;
  const text = (name: string): string => (typeof form[name] === 'string' ? form[name].trim() : '');
  const rows = Number(text('rows'));
  if (!Number.isInteger(rows) || rows < 0 || rows > MAX_ATTRIBUTE_STATEMENTS) {
    throw new HarnessError('INPUT_INVALID', 'the attributes form is incomplete: reload the page and try again', {
      expected: `rows between 0 and ${MAX_ATTRIBUTE_STATEMENTS}`,
      received: text('rows') || 'none',
    });
  }
  const removed = text('remove');
  const out: StatementInput[] = [];
  for (let i = 0; i <= rows; i++) {
    const name = text(`attrName${i}`);
    const value = text(`attrValue${i}`);
    // The blank row for a new attribute.
    if (i === rows && name === '' && value === '') continue;
    if (removed !== '' && String(i) === removed) continue;
    const source = text(`attrSource${i}`);
    if (source === 'custom') out.push({ name, customAttribute: value });
    else if (source === 'constant') out.push({ name, constant: value });
    // An unknown property is the settings schema's to refuse, with the list it takes.
    else out.push({ name, property: source.replace(/^property:/, '') as UserProperty });
  }
  return out;
}
