// `sso-harness decode` reads whatever a person pastes: it must name what is wrong with any input
// (a HarnessError with a documented code), never fail with a TypeError or a stack overflow.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { parseCertificate } from '../../src/crypto/keys.js';
import { findMessages, type FoundMessages } from '../../src/decode/messages.js';
import { prettyXml } from '../../src/decode/pretty-xml.js';
import { checkMessage } from '../../src/decode/verify.js';
import { isHarnessError } from '../../src/errors.js';
import { assertDocumentedCode, countCase, encode, encoding, hostileText, mutate, mutations, pureParameters, textMutation } from './support.js';

interface HarFixture {
  log: { entries: { request: { method: string; url: string; postData?: { mimeType?: string; text?: string; params?: { name: string; value: string }[] } } }[] };
}

const HAR_TEXT = readFileSync('fixtures/har/sp-initiated-login.har', 'utf8');
const har = JSON.parse(HAR_TEXT) as HarFixture;
const REDIRECT_URL = har.log.entries.find((e) => e.request.url.includes('SAMLRequest='))?.request.url ?? '';
const ACS_BODY = har.log.entries.find((e) => e.request.method === 'POST' && e.request.url.endsWith('/sp/acs'))?.request.postData?.text ?? '';
const RESPONSE_XML = Buffer.from(new URLSearchParams(ACS_BODY).get('SAMLResponse') ?? '', 'base64').toString('utf8');
const REQUEST_XML = findMessages(REDIRECT_URL).messages[0]?.xml ?? '';
const IDP_CERT = parseCertificate(readFileSync('fixtures/keys/idp.cert.pem', 'utf8'));

/** Decodes `input` as the CLI does (find, check, print); only a documented HarnessError may escape. */
async function decodeLikeTheCli(input: string): Promise<FoundMessages | undefined> {
  countCase('decode (findMessages, checkMessage)');
  let found: FoundMessages;
  try {
    found = findMessages(input);
  } catch (err) {
    if (!isHarnessError(err)) throw err;
    assertDocumentedCode(err.code, err.status, 'findMessages');
    return undefined;
  }
  for (const m of found.messages) {
    prettyXml(m.xml);
    const report = await checkMessage(m, { certificates: [IDP_CERT], fallbackNowMs: Date.parse('2026-01-01T00:00:00Z') });
    for (const v of report.checks) if (v.code !== undefined) assertDocumentedCode(v.code, undefined, `check ${v.check}`);
  }
  return found;
}

const xmlArbitrary = fc.oneof(
  mutations.map((steps) => mutate(RESPONSE_XML, steps)),
  mutations.map((steps) => mutate(REQUEST_XML, steps)),
);

/** A HAR-shaped document whose parts are random: entries, requests, URLs and post data of any JSON type. */
const harArbitrary = fc
  .record({
    entries: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.array(
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.record(
            {
              request: fc.oneof(
                fc.jsonValue({ maxDepth: 2 }),
                fc.record(
                  {
                    method: fc.oneof(fc.constantFrom('GET', 'POST'), fc.jsonValue({ maxDepth: 1 })),
                    url: fc.oneof(fc.constant(REDIRECT_URL), hostileText(80).map((s) => `https://sp.example/acs?SAMLRequest=${s}`), fc.jsonValue({ maxDepth: 1 })),
                    postData: fc.oneof(
                      fc.jsonValue({ maxDepth: 2 }),
                      fc.record({ text: fc.oneof(fc.constant(ACS_BODY), hostileText(80), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] }),
                      fc.record({ params: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.array(fc.record({ name: fc.oneof(fc.constant('SAMLResponse'), fc.jsonValue({ maxDepth: 1 })), value: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }))) }),
                    ),
                  },
                  { requiredKeys: [] },
                ),
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        { maxLength: 4 },
      ),
    ),
  })
  .map(({ entries }) => JSON.stringify({ log: { entries } }));

const inputArbitrary = fc.oneof(
  hostileText(400),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
  fc.uint8Array({ maxLength: 300 }).map((b) => deflateRawSync(Buffer.from(b)).toString('base64')),
  fc.tuple(xmlArbitrary, encoding).map(([xml, how]) => encode(xml, how)),
  xmlArbitrary,
  xmlArbitrary.map((xml) => `https://idp.example/sso?SAMLRequest=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}&RelayState=x`),
  xmlArbitrary.map((xml) => `SAMLResponse=${encodeURIComponent(Buffer.from(xml).toString('base64'))}`),
  xmlArbitrary.map((xml) => `<html><body><form method="post" action="/sp/acs"><input type="hidden" name="SAMLResponse" value="${Buffer.from(xml).toString('base64')}"></form></body></html>`),
  fc.array(textMutation, { minLength: 1, maxLength: 3 }).map((steps) => mutate(REDIRECT_URL, steps)),
  fc.array(textMutation, { minLength: 1, maxLength: 3 }).map((steps) => mutate(HAR_TEXT, steps)),
  harArbitrary,
  fc.jsonValue({ maxDepth: 4 }).map((v) => `{"log":${JSON.stringify(v)}}`),
);

describe('decode: hostile input', () => {
  it('decodes the genuine captures it mutates', async () => {
    assert.equal((await decodeLikeTheCli(HAR_TEXT))?.messages.length, 2);
    assert.match(RESPONSE_XML, /<samlp:Response /);
    assert.match(REQUEST_XML, /<samlp:AuthnRequest /);
  });

  it('answers any input with messages or a documented code', async () => {
    await fc.assert(
      fc.asyncProperty(inputArbitrary, async (input) => {
        await decodeLikeTheCli(input);
      }),
      pureParameters(),
    );
  });

  it('skips HAR entries and fields of the wrong type instead of failing with a TypeError', async () => {
    const entries = ['null', '1', '{"request":null}', '{"request":{"url":5}}', '{"request":{"method":"POST","url":"https://sp.example/acs","postData":{"params":{"length":1}}}}'];
    for (const entry of entries) assert.equal(await decodeLikeTheCli(`{"log":{"entries":[${entry}]}}`), undefined, entry);
    const genuine = har.log.entries.find((e) => e.request.url.includes('SAMLRequest='));
    const mixed = `{"log":{"entries":[${entries.join(',')},${JSON.stringify(genuine)}]}}`;
    assert.equal((await decodeLikeTheCli(mixed))?.messages.length, 1);
  });

  it('refuses deeply nested XML as too deep and prints it as it is, without overflowing the stack', () => {
    const depth = 20_000;
    const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</samlp:Response>`;
    for (const input of [xml, Buffer.from(xml).toString('base64')]) {
      assert.throws(() => findMessages(input), (err) => isHarnessError(err) && err.code === 'SAML_XML_TOO_DEEP');
    }
    assert.equal(prettyXml(xml), xml);
  });
});
