// Every signature is shaped as SAML requires, before any cryptography runs: a
// ds:Signature only directly inside the Response or the Assertion, at most one per element, each
// shaped as the signature verifier requires (signature-verifier/shape.ts: rows 2-9, 16, 19, 21,
// 25, 26). A decrypted assertion is its own document: its signature sits directly in it and
// references it by an ID unique in that document.
import { checkPlacement, shapedSignature } from '../signature-verifier/shape.js';
import { parsedDocument, receivedAssertion, receivedResponse, signaturesOf } from './context.js';
import { responseSignaturePolicy } from './signature-policy.js';
import type { Check } from './types.js';

export const signatureShape: Check = {
  id: 'signature-shape',
  title: 'Signatures sit in the Response or Assertion and reference their parent by a unique ID (rows 2-9, 16, 19, 21, 25, 26)',
  run(ctx) {
    const doc = parsedDocument(ctx);
    const policy = responseSignaturePolicy(ctx.expect);
    const docs = ctx.decrypted ? [doc, ctx.decrypted.assertion.ownerDocument] : [doc];
    checkPlacement(docs, [receivedResponse(ctx), receivedAssertion(ctx)], 'Response or Assertion', policy);
    const signatures = signaturesOf(ctx);
    for (const s of signatures) shapedSignature(s.signed, s.level, policy);
    return signatures.length === 0 ? 'no signatures (checked next)' : `${signatures.map((s) => s.level).join(' and ')} signature shaped as SAML requires`;
  },
};
