// Rows 12-14, text truncation (CVE-2017-11427 class, Duo 2018): the IdP genuinely signs a
// value the attacker owns, and the attacker splits it with a node that canonicalization drops
// or renders as text, so the digest still matches while a reader that takes the first text
// node (or textContent, for a PI) sees the victim. Applied to the NameID and to the email
// attribute, the two places an SP takes the user from. Our SP refuses comments, PIs and CDATA
// at the XML hygiene check.
import type { ResponseSpec } from '../response-builder.js';
import { assertionIn, attributeValues, EMAIL_ATTRIBUTE, nameIdOf } from './dom-edit.js';
import { attackOn, emailOf, reject } from './spec-edit.js';
import type { ResponseScenario } from './types.js';

/** The spec with every occurrence of `from` (NameID, attribute values) replaced by `to`. */
function renamed(spec: ResponseSpec, from: string, to: string): ResponseSpec {
  return {
    ...spec,
    nameId: spec.nameId === from ? to : spec.nameId,
    attributes: spec.attributes.map((a) => ({ ...a, values: a.values.map((v) => (v === from ? to : v)) })),
  };
}

interface Split {
  /** The value the IdP signs: the attacker's own account. */
  signed(victim: string): string;
  /** The nodes that replace it: canonicalized they give `signed`; read naively, the victim. */
  nodes(doc: Document, victim: string): Node[];
}

function truncation(id: string, row: number, title: string, split: Split): ResponseScenario {
  return {
    id,
    title,
    row,
    kind: 'attack',
    expect: reject('SAML_XML_FORBIDDEN'),
    build: (ctx) => {
      const victim = emailOf(ctx.spec);
      const signed = split.signed(victim);
      const xml = attackOn(renamed(ctx.spec, victim, signed), (response, doc) => {
        const assertion = assertionIn(response);
        for (const e of [nameIdOf(assertion), ...attributeValues(assertion, EMAIL_ATTRIBUTE)]) {
          if (e.textContent !== signed) continue;
          while (e.firstChild) e.removeChild(e.firstChild);
          for (const node of split.nodes(doc, victim)) e.appendChild(node);
        }
      });
      return { xml };
    },
  };
}

const ATTACKER_SUFFIX = '.evil.example';
const PI_PREFIX = 'not-';

export const TRUNCATION_SCENARIOS: readonly ResponseScenario[] = [
  // <NameID>victim<!---->.evil.example</NameID>: comments are not in exc-c14n.
  truncation('comment-truncation', 12, 'An empty comment splits the signed victim.evil.example so a naive reader sees the victim', {
    signed: (victim) => `${victim}${ATTACKER_SUFFIX}`,
    nodes: (doc, victim) => [doc.createTextNode(victim), doc.createComment(''), doc.createTextNode(ATTACKER_SUFFIX)],
  }),
  // <NameID><?p not-?>victim</NameID>: xml-crypto's c14n renders the PI data as text (still in
  // 6.3.2), so the digest matches "not-victim" while textContent skips the PI.
  truncation('pi-truncation', 13, 'A processing instruction hides the prefix of the signed not-victim so textContent reads the victim', {
    signed: (victim) => `${PI_PREFIX}${victim}`,
    nodes: (doc, victim) => [doc.createProcessingInstruction('p', PI_PREFIX), doc.createTextNode(victim)],
  }),
  // <NameID>victim<![CDATA[.evil.example]]></NameID>: c14n turns CDATA into text.
  truncation('cdata-split', 14, 'A CDATA section splits the signed victim.evil.example so the first text node is the victim', {
    signed: (victim) => `${victim}${ATTACKER_SUFFIX}`,
    nodes: (doc, victim) => [doc.createTextNode(victim), doc.createCDATASection(ATTACKER_SUFFIX)],
  }),
];
