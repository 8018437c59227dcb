// The DOM walks every check uses, on documents nested deeper than any call stack allows.
import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import { descendants, elementsBelow, elementsWithId, textContentOf } from '../src/saml/dom.js';

/** A document `depth` elements deep, built node by node (a parser may cap depth; the walk must not rely on it). */
function nested(depth: number): Document {
  const doc = new DOMParser().parseFromString('<a:root xmlns:a="urn:a"/>', 'text/xml');
  let parent: Element = doc.documentElement as Element;
  for (let i = 0; i < depth; i += 1) {
    const child = doc.createElementNS('urn:a', 'a:n');
    child.setAttribute('ID', `_${i}`);
    parent.appendChild(child);
    parent = child;
  }
  return doc;
}

describe('DOM walks (src/saml/dom.ts)', () => {
  it('walks a document 30,000 elements deep without exhausting the stack', () => {
    const doc = nested(30_000);
    assert.equal(descendants(doc, 'urn:a', 'n').length, 30_000);
    assert.deepEqual(elementsWithId(doc, '_29999').map((e) => e.getAttribute('ID')), ['_29999']);
  });

  it('reads the text of an element 30,000 levels deep without exhausting the stack', () => {
    const doc = nested(30_000);
    const deepest = descendants(doc, 'urn:a', 'n').at(-1) as Element;
    deepest.appendChild(doc.createTextNode('bottom'));
    assert.equal(textContentOf(doc.documentElement as Element), 'bottom');
  });

  it('reads text as DOM textContent does: text and CDATA in order, comments and processing instructions skipped', () => {
    const doc = new DOMParser().parseFromString('<r>a<b>b<!--c--><c><![CDATA[d]]></c></b><?pi e?>f</r>', 'text/xml');
    const r = doc.documentElement as Element;
    assert.equal(textContentOf(r), r.textContent);
    assert.equal(textContentOf(r), 'abdf');
  });

  it('yields elements in document order, below the root only', () => {
    const doc = new DOMParser().parseFromString('<r><a><b/>text<c><d/></c></a><e/><f><g/></f></r>', 'text/xml');
    const a = doc.getElementsByTagName('a')[0] as Element;
    assert.deepEqual([...elementsBelow(doc)].map((e) => e.localName), ['r', 'a', 'b', 'c', 'd', 'e', 'f', 'g']);
    assert.deepEqual([...elementsBelow(a)].map((e) => e.localName), ['b', 'c', 'd']);
    assert.deepEqual([...elementsBelow(doc.getElementsByTagName('e')[0] as Element)], []);
  });
});
