// The attributes the SP maps, read from the signed assertion only (full text content
// of the signed bytes, so no comment or PI can cut a value short: rows 12-14): the email from
// the configured attribute (name compared exactly) or the NameID, and RingCentral's `number`.
import { HarnessError } from '../../errors.js';
import { attr, childElements, firstChild, textContentOf } from '../dom.js';
import { NS } from '../urn.js';
import { subjectOf } from './bearer-confirmations.js';
import { signedAssertion } from './context.js';
import type { Check } from './types.js';

const NUMBER_ATTRIBUTE = 'number';

function collectAttributes(assertion: Element): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const a of childElements(statement, NS.assertion, 'Attribute')) {
      const name = attr(a, 'Name');
      if (name === undefined) continue;
      const values = childElements(a, NS.assertion, 'AttributeValue').map((v) => textContentOf(v));
      out[name] = [...(out[name] ?? []), ...values];
    }
  }
  return out;
}

function firstValue(values: string[] | undefined): string | undefined {
  return values?.map((v) => v.trim()).find((v) => v !== '');
}

function receivedNames(attributes: Record<string, string[]>): string {
  const names = Object.keys(attributes);
  return names.length === 0 ? 'no attributes' : `attributes: ${names.join(', ')}`;
}

export const attributes: Check = {
  id: 'attributes',
  title: 'The email (mapped attribute or NameID) and the number attribute are present in the signed assertion',
  run(ctx) {
    const assertion = signedAssertion(ctx);
    const subject = subjectOf(assertion);
    const nameIdEl = subject && firstChild(subject, NS.assertion, 'NameID');
    const nameId = (nameIdEl ? textContentOf(nameIdEl) : '').trim();
    const all = collectAttributes(assertion);
    const from = ctx.expect.emailFrom;
    const email = from.kind === 'nameid' ? nameId || undefined : firstValue(all[from.name]);
    if (email === undefined) {
      throw new HarnessError(
        'SAML_ATTRIBUTE_EMAIL',
        from.kind === 'nameid' ? 'the assertion has no NameID to take the email from' : `the assertion has no "${from.name}" attribute with a value`,
        from.kind === 'nameid'
          ? { expected: 'a NameID holding the email', received: nameIdEl ? 'an empty NameID' : 'no NameID' }
          : { expected: `an attribute named "${from.name}" (exact, case-sensitive)`, received: receivedNames(all) },
      );
    }
    const number = firstValue(all[NUMBER_ATTRIBUTE]);
    if (number === undefined && ctx.expect.requireNumberAttribute) {
      throw new HarnessError('SAML_ATTRIBUTE_NUMBER', `the assertion has no "${NUMBER_ATTRIBUTE}" attribute with a value`, {
        expected: `an attribute named "${NUMBER_ATTRIBUTE}"`,
        received: receivedNames(all),
      });
    }
    const statement = firstChild(assertion, NS.assertion, 'AuthnStatement');
    Object.assign(ctx.result, {
      attributes: all,
      email,
      number,
      nameId,
      nameIdFormat: attr(nameIdEl, 'Format'),
      sessionIndex: attr(statement, 'SessionIndex'),
    });
    return `email ${email} (from ${from.kind === 'nameid' ? 'NameID' : `"${from.name}"`})${number ? `, number ${number}` : ''}`;
  },
};
