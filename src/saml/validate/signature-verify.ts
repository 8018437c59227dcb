// Every signature verifies with a pinned IdP key (verifySigned: never with a key from
// KeyInfo, rows 17, 18; digest matched, content unchanged since signing). Then, as node-saml's
// getVerifiedXml does, only the signed bytes are parsed again and every later check reads from
// them: whatever a comment, PI or CDATA did to the received DOM (rows 12-14, including
// xml-crypto rendering a PI as text in c14n), the signed bytes carry what the IdP signed. A
// signature by a pinned certificate past its notAfter is refused unless the account allows it.
import { HarnessError } from '../../errors.js';
import { attr, firstChild } from '../dom.js';
import { documentElement, parseXml } from '../parse.js';
import { describeKey } from '../signature-verifier/pinned-keys.js';
import { verifySigned, type VerifiedSignature } from '../signature-verifier/verify-signed.js';
import { NS } from '../urn.js';
import { signaturesOf } from './context.js';
import { assertionUnderResponseSignature } from './decrypt.js';
import type { EnvelopedSignature } from './enveloped-signatures.js';
import { responseSignaturePolicy } from './signature-policy.js';
import type { Check } from './types.js';

export const signatureVerify: Check = {
  id: 'signature-verify',
  title: 'Each signature verifies with a pinned IdP key; later checks read the signed bytes only (rows 12-14, 17, 18)',
  run(ctx) {
    const policy = responseSignaturePolicy(ctx.expect);
    const verified = new Map<EnvelopedSignature['level'], VerifiedSignature>();
    for (const s of signaturesOf(ctx)) verified.set(s.level, verifySigned(s.signed, ctx.expect.idpCertificates, policy, s.level));
    const response = verified.get('response');
    const assertion = verified.get('assertion');
    const used = response ?? assertion;
    if (!used) throw new HarnessError('INTERNAL', 'validation pipeline order: no signature to verify');
    // The one re-parse: of the signed bytes, which carry no comment, PI or CDATA after c14n.
    const root = documentElement(parseXml(used.bytes));
    const signedAssertion =
      ctx.decrypted && response
        ? assertionUnderResponseSignature(ctx.decrypted, root, assertion?.bytes)
        : response
          ? firstChild(root, NS.assertion, 'Assertion')
          : root;
    if (!signedAssertion || signedAssertion.namespaceURI !== NS.assertion || signedAssertion.localName !== 'Assertion') {
      throw new HarnessError('SAML_SIGNATURE_SHAPE', 'the signed bytes do not hold the assertion', {
        expected: 'a signed saml:Assertion',
        received: root.localName,
      });
    }
    if (response) ctx.signedResponse = root;
    ctx.assertion = signedAssertion;
    ctx.result.assertionId = attr(signedAssertion, 'ID');
    ctx.result.signed = { response: response !== undefined, assertion: assertion !== undefined };
    return `${[...verified.keys()].join(' and ')} signature verified with pinned ${describeKey(used.key)}`;
  },
};
