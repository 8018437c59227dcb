// Building blocks of the scenario builders: a changed copy of the genuine spec, the genuine
// signed response, a response edited before the IdP signs it, and the verdict shorthands.
import type { ErrorCode } from '../../errors.js';
import { buildResponse, type ResponseSpec } from '../response-builder.js';
import { signElement } from '../signature.js';
import { editXml, EMAIL_ATTRIBUTE } from './dom-edit.js';
import type { ExpectedVerdict, ScenarioContext, ScenarioOutput } from './types.js';

export const ACCEPT: ExpectedVerdict = { verdict: 'accept' };

export function reject(code: ErrorCode): ExpectedVerdict {
  return { verdict: 'reject', code };
}

/** A copy of the spec with some signing settings forced (the rest as the application says). */
export function withSigning(spec: ResponseSpec, signing: Partial<ResponseSpec['signing']>): ResponseSpec {
  return { ...spec, signing: { ...spec.signing, ...signing } };
}

/** The response the IdP signs for this spec. */
export function genuine(spec: ResponseSpec): string {
  return buildResponse(spec).xml;
}

/** A builder for a spec-level fault: the IdP signs a changed spec. */
export function fromSpec(adjust: (spec: ResponseSpec) => ResponseSpec): (ctx: ScenarioContext) => ScenarioOutput {
  return (ctx) => ({ xml: genuine(adjust({ ...ctx.spec, signing: { ...ctx.spec.signing } })) });
}

/**
 * An attack: the genuine response (signing forced as given) edited after it was signed. An
 * attacker starts from a signed response: when the application signs nothing, the assertion is.
 */
export function attackOn(
  spec: ResponseSpec,
  edit: (response: Element, doc: Document) => void,
  signing: Partial<ResponseSpec['signing']> = {},
): string {
  const forced = withSigning(spec, signing);
  const signed = forced.signing.assertion || forced.signing.response ? forced : withSigning(forced, { assertion: true });
  return editXml(genuine(signed), edit);
}

/**
 * What an IdP with a bug sends: the response edited before signing, then signed as the spec
 * says (assertion first, so a Response signature covers the signed assertion).
 */
export function signedAfterEdit(spec: ResponseSpec, edit: (response: Element, doc: Document) => void): string {
  const unsigned = buildResponse(withSigning(spec, { assertion: false, response: false }));
  let xml = editXml(unsigned.xml, edit);
  const { key, algorithm, assertion, response } = spec.signing;
  if (assertion && unsigned.assertionId) xml = signElement(xml, { key, algorithm, id: unsigned.assertionId, after: 'Issuer' });
  if (response || (assertion && !unsigned.assertionId)) xml = signElement(xml, { key, algorithm, id: unsigned.responseId, after: 'Issuer' });
  return xml;
}

/** The user's email in the genuine response: the email attribute, else the NameID. */
export function emailOf(spec: ResponseSpec): string {
  return spec.attributes.find((a) => a.name === EMAIL_ATTRIBUTE)?.values[0] ?? spec.nameId;
}
