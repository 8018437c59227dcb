// The IdP's SSO service of the demo application under hostile input: HTTP-Redirect queries and
// HTTP-POST forms, random or made from the SP's genuine signed AuthnRequest and mutated (the XML,
// re-signed with the SP key or not; the query itself). With or without an IdP session, the answer
// is a redirect to sign in, the auto-post form, or a documented refusal; never a 5xx.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import { signAuthnRequest } from '../../src/saml/authn-request.js';
import { decodeRedirectMessage } from '../../src/saml/encoding.js';
import { parseXml } from '../../src/saml/parse.js';
import { buildRedirectUrl } from '../../src/saml/redirect-binding.js';
import { ALGORITHM } from '../../src/saml/urn.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { fixtureKey } from '../support/keys.js';
import { assertHarnessAnswer, countCase, crashWatch, encode, encoding, fuzzParameters, hostileText, mutate, mutations, textMutation } from './support.js';

const SSO_PATH = '/idp/apps/ringcentral/sso';
const REDIRECT = `GET ${SSO_PATH}`;
const POST = `POST ${SSO_PATH}`;
const SP_KEY = fixtureKey('sp');
const ALGORITHMS = [ALGORITHM.rsaSha256, ALGORITHM.rsaSha512, ALGORITHM.rsaSha1] as const;

describe(`${SSO_PATH}: hostile input`, () => {
  let server: RunningHarness;
  let signedIn: request.Agent;
  const crashes = crashWatch();

  before(async () => {
    crashes.start();
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    // The genuine requests come by HTTP-Redirect: the application declares it, and the SP imports its metadata again.
    await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ declareRedirectEndpoint: true }).expect(200);
    await admin(server, 'post', `/sp/api/accounts/${DEMO_ACCOUNT.id}/sso/idp-metadata`).send({ url: `${server.url}/idp/apps/${DEMO_APP_ID}/metadata` }).expect(200);
    signedIn = request.agent(server.server);
    await signedIn.post('/idp/login').type('form').send({ login: 'ann@acme.test', password: 'ann-password-1' }).expect(303);
  });
  after(async () => {
    crashes.stop();
    await server.close();
  });
  afterEach(async () => {
    await request(server.server).get('/healthz').expect(200);
    crashes.check();
  });

  /** The SP's genuine AuthnRequest: the raw query of its redirect to the IdP, and the XML in it. */
  async function genuineRequest(): Promise<{ query: string; xml: string; relayState?: string }> {
    const res = await request(server.server).get('/sp/login?email=ann%40acme.test').expect(302);
    const location = new URL(res.headers.location as string);
    assert.equal(location.pathname, SSO_PATH);
    const params = location.searchParams;
    const relayState = params.get('RelayState');
    return { query: location.search.slice(1), xml: decodeRedirectMessage(params.get('SAMLRequest') ?? ''), ...(relayState !== null && { relayState }) };
  }

  /** The signer's parser prints what it dislikes; only well-formed XML is worth signing. */
const parses = (xml: string): boolean => {
  try {
    parseXml(xml);
    return true;
  } catch {
    return false;
  }
};

  const client = (session: boolean) => (session ? signedIn : request(server.server));

  async function get(query: string, session: boolean): Promise<void> {
    countCase(REDIRECT);
    const res = await client(session).get(`${SSO_PATH}?${query}`).set('accept', 'application/json');
    assertHarnessAnswer(res, REDIRECT);
    crashes.check();
  }

  async function post(fields: Record<string, string>, session: boolean): Promise<void> {
    countCase(POST);
    const res = await client(session).post(SSO_PATH).set('accept', 'application/json').type('form').send(fields);
    assertHarnessAnswer(res, POST);
    crashes.check();
  }

  it('accepts the genuine request the mutations start from', async () => {
    const { query } = await genuineRequest();
    const res = await signedIn.get(`${SSO_PATH}?${query}`).expect(200);
    assert.match(res.text, /name="SAMLResponse"/);
  });

  it('answers random Redirect queries with a documented code', async () => {
    const param = fc.oneof(hostileText(200), fc.uint8Array({ maxLength: 300 }).map((b) => encodeURIComponent(Buffer.from(b).toString('base64'))));
    const pair = fc.tuple(fc.constantFrom('SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature', 'x'), param).map(([k, v]) => `${k}=${v}`);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(pair, hostileText(60)), { maxLength: 6 }), fc.boolean(), (parts, session) => get(parts.join('&'), session)),
      fuzzParameters(),
    );
  });

  it('answers mutated genuine Redirect requests with a redirect, the auto-post form or a documented code', async () => {
    const how = fc.constantFrom('re-signed', 'old signature', 'unsigned', 'query mutated');
    await fc.assert(
      fc.asyncProperty(mutations, how, fc.constantFrom(...ALGORITHMS), fc.array(textMutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (steps, variant, algorithm, querySteps, session) => {
        const genuine = await genuineRequest();
        let query: string;
        if (variant === 'query mutated') {
          query = mutate(genuine.query, querySteps);
        } else {
          const xml = mutate(genuine.xml, steps);
          const url = buildRedirectUrl('', 'SAMLRequest', xml, {
            ...(genuine.relayState !== undefined && { relayState: genuine.relayState }),
            ...(variant === 're-signed' && { signing: { key: SP_KEY, algorithm } }),
          });
          query = url.slice(1);
          if (variant === 'old signature') {
            const old = new URLSearchParams(genuine.query);
            query += `&SigAlg=${encodeURIComponent(old.get('SigAlg') ?? '')}&Signature=${encodeURIComponent(old.get('Signature') ?? '')}`;
          }
        }
        await get(query, session);
      }),
      fuzzParameters(),
    );
  });

  it('answers random and mutated genuine POST requests with a redirect, the auto-post form or a documented code', async () => {
    const genuineBased = fc.record({ steps: mutations, encoding, resign: fc.boolean(), algorithm: fc.constantFrom(...ALGORITHMS) });
    await fc.assert(
      fc.asyncProperty(fc.oneof(genuineBased, hostileText(300)), fc.option(hostileText(100), { nil: undefined }), fc.boolean(), async (input, relayState, session) => {
        let samlRequest: string;
        if (typeof input === 'string') {
          samlRequest = input;
        } else {
          const genuine = await genuineRequest();
          let xml = mutate(genuine.xml, input.steps);
          const id = /\bID="([^"]*)"/.exec(xml)?.[1];
          if (input.resign && id && parses(xml)) {
            try {
              xml = signAuthnRequest(xml, id, SP_KEY, input.algorithm);
            } catch {
              // A mutation the signer cannot place a signature in: send it unsigned.
            }
          }
          samlRequest = encode(xml, input.encoding);
        }
        await post({ SAMLRequest: samlRequest, ...(relayState !== undefined && { RelayState: relayState }) }, session);
      }),
      fuzzParameters(),
    );
  });
});
