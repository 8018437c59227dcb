// Each flavour's traits against the documented values of the real product
// (docs/vendor-traits.md), and each trait's switch.
import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import request from 'supertest';
import { HarnessError } from '../src/errors.js';
import type { RunningHarness } from '../src/harness/server.js';
import { OKTA_SSO_LIMIT, SsoRateLimiter } from '../src/idp/sso-rate-limit.js';
import { ATTRNAME_FORMAT, BINDING, CLAIM, NAMEID_FORMAT, NS } from '../src/saml/urn.js';
import { admin, startTestServer } from './support/harness.js';
import { authnRequestUrl, configurePeerApp, PEER, signInAtIdp, type Flavor } from './support/interop.js';

const TENANT = '2f277f1e-e5f1-4f62-b595-79c2d13afda4';
const ASSERTION_ONLY = { signAssertion: true, signResponse: false };

function parse(xml: string): Element {
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  assert.ok(root);
  return root;
}

const children = (e: Element, ns: string, name: string): Element[] =>
  Array.from(e.childNodes).filter((n): n is Element => (n as Element).namespaceURI === ns && (n as Element).localName === name);

const seconds = (iso: string | null): number => Date.parse(iso ?? '') / 1000;

describe('IdP flavour traits', () => {
  let server: RunningHarness;

  beforeEach(async () => {
    server = await startTestServer({ idp: { entraTenantId: TENANT } });
  });
  afterEach(() => server.close());

  const appView = async () => (await admin(server, 'get', `/idp/api/apps/${PEER.appId}`).expect(200)).body;

  const metadataOf = async (): Promise<Element> => {
    const url = new URL((await appView()).metadataUrl as string);
    return parse((await request(server.server).get(url.pathname + url.search).expect(200)).text);
  };

  /** Signs the peer user in through the application's published SSO URL; the Response as XML. */
  const responseOf = async (): Promise<Element> => {
    const form = await signInAtIdp(server, authnRequestUrl((await appView()).ssoUrl as string));
    return parse(Buffer.from(form.SAMLResponse, 'base64').toString('utf8'));
  };

  const assertionOf = (response: Element): Element => {
    const assertion = children(response, NS.assertion, 'Assertion')[0];
    assert.ok(assertion);
    return assertion;
  };

  const setUp = (flavor: Flavor) => configurePeerApp(server, ASSERTION_ONLY, flavor);

  describe('jumpcloud', () => {
    it('sends a SAML 1.0 unspecified NameID, an unsigned Response with a signed Assertion, ±5 minutes of validity and 40-character IDs', async () => {
      await setUp('jumpcloud');
      const response = await responseOf();
      const assertion = assertionOf(response);
      assert.equal(assertion.getElementsByTagNameNS(NS.assertion, 'NameID')[0]?.getAttribute('Format'), NAMEID_FORMAT.unspecified10);
      assert.equal(children(response, NS.dsig, 'Signature').length, 0);
      assert.equal(children(assertion, NS.dsig, 'Signature').length, 1);
      const issued = seconds(assertion.getAttribute('IssueInstant'));
      const conditions = assertion.getElementsByTagNameNS(NS.assertion, 'Conditions')[0];
      assert.equal(issued - seconds(conditions?.getAttribute('NotBefore') ?? null), 300);
      assert.equal(seconds(conditions?.getAttribute('NotOnOrAfter') ?? null) - issued, 300);
      for (const id of [response.getAttribute('ID'), assertion.getAttribute('ID')]) assert.match(id ?? '', /^_[0-9a-f]{39}$/);
    });

    it('lists only the HTTP-POST SingleSignOnService by default (Declare Redirect Endpoint off), and both with it on', async () => {
      await setUp('jumpcloud');
      const bindings = async () =>
        Array.from((await metadataOf()).getElementsByTagNameNS(NS.metadata, 'SingleSignOnService')).map((s) => s.getAttribute('Binding'));
      assert.equal((await appView()).declareRedirectEndpoint, false);
      assert.deepEqual(await bindings(), [BINDING.post]);
      await admin(server, 'patch', `/idp/api/apps/${PEER.appId}`).send({ declareRedirectEndpoint: true }).expect(200);
      assert.deepEqual(await bindings(), [BINDING.redirect, BINDING.post]);
    });

    it('switches each response trait back through its setting', async () => {
      await setUp('jumpcloud');
      await admin(server, 'patch', `/idp/api/apps/${PEER.appId}`)
        .send({ nameIdFormat: 'emailAddress', idStyle: 'harness', assertionValidity: { notBeforeSec: 60, notOnOrAfterSec: 120 }, signResponse: true })
        .expect(200);
      const response = await responseOf();
      const assertion = assertionOf(response);
      assert.equal(assertion.getElementsByTagNameNS(NS.assertion, 'NameID')[0]?.getAttribute('Format'), NAMEID_FORMAT.emailAddress);
      assert.equal(children(response, NS.dsig, 'Signature').length, 1);
      assert.match(response.getAttribute('ID') ?? '', /^_[0-9a-f]{40}$/);
      const issued = seconds(assertion.getAttribute('IssueInstant'));
      const conditions = assertion.getElementsByTagNameNS(NS.assertion, 'Conditions')[0];
      assert.equal(issued - seconds(conditions?.getAttribute('NotBefore') ?? null), 60);
      assert.equal(seconds(conditions?.getAttribute('NotOnOrAfter') ?? null) - issued, 120);
    });
  });

  describe('okta', () => {
    it("serves SSO at Okta's /app/{org}_{app}_{n}/{appKey}/sso/saml and spells IDs as id + 26 digits", async () => {
      await setUp('okta');
      const { ssoUrl } = await appView();
      assert.match(ssoUrl, new RegExp(`^${server.url}/idp/app/harness_${PEER.appId}_1/exk[A-Za-z0-9]{17}/sso/saml$`));
      const services = Array.from((await metadataOf()).getElementsByTagNameNS(NS.metadata, 'SingleSignOnService'));
      // Okta's metadata lists both bindings: a new Okta application is not JumpCloud's POST-only shape.
      assert.deepEqual(services.map((s) => [s.getAttribute('Binding'), s.getAttribute('Location')]), [[BINDING.redirect, ssoUrl], [BINDING.post, ssoUrl]]);
      const response = await responseOf();
      assert.match(response.getAttribute('ID') ?? '', /^id[0-9]{26}$/);
    });

    it('sends X-Rate-Limit headers only with the SSO rate limit on', async () => {
      await setUp('okta');
      const { ssoUrl } = await appView();
      const path = (url: string): string => new URL(url).pathname + new URL(url).search;
      const off = await request(server.server).get(path(authnRequestUrl(ssoUrl))).expect(303);
      assert.equal(off.headers['x-rate-limit-limit'], undefined);
      await admin(server, 'patch', `/idp/api/apps/${PEER.appId}`).send({ ssoRateLimit: true }).expect(200);
      const on = await request(server.server).get(path(authnRequestUrl(ssoUrl))).expect(303);
      assert.equal(on.headers['x-rate-limit-limit'], '750');
      assert.equal(on.headers['x-rate-limit-remaining'], '749');
    });

    it('refuses the 751st request of a minute with 429, Retry-After and Okta\'s error body, and frees a request as the minute slides', () => {
      let now = 1_000_000;
      const limiter = new SsoRateLimiter({ now: () => now });
      for (let i = 0; i < OKTA_SSO_LIMIT.requests; i++) {
        now += 10;
        limiter.take('app');
      }
      now += 10;
      const refused = (() => {
        try {
          limiter.take('app');
        } catch (err) {
          if (err instanceof HarnessError) return err;
          throw err;
        }
        return undefined;
      })();
      assert.ok(refused, 'the 751st request passed');
      assert.equal(refused.code, 'IDP_SSO_RATE_LIMITED');
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['X-Rate-Limit-Remaining'], '0');
      // The oldest request (at 1_000_010) leaves the window 60 s after it was made.
      assert.equal(refused.headers['Retry-After'], String(Math.ceil((1_000_010 + 60_000 - now) / 1000)));
      assert.equal(refused.details.fields?.errorCode, 'E0000047');
      now = 1_000_000 + 10 + 60_000;
      assert.equal(limiter.take('app')['X-Rate-Limit-Remaining'], '0');
    });
  });

  describe('entra', () => {
    it("issues as https://sts.windows.net/{tenant}/ with Entra's default claims, URI-named, without NameFormat", async () => {
      await setUp('entra');
      const assertion = assertionOf(await responseOf());
      assert.equal(assertion.getElementsByTagNameNS(NS.assertion, 'Issuer')[0]?.textContent, `https://sts.windows.net/${TENANT}/`);
      assert.equal(assertion.getElementsByTagNameNS(NS.assertion, 'NameID')[0]?.getAttribute('Format'), NAMEID_FORMAT.emailAddress);
      const attributes = Array.from(assertion.getElementsByTagNameNS(NS.assertion, 'Attribute'));
      const value = (name: string) => attributes.find((a) => a.getAttribute('Name') === name)?.textContent;
      assert.equal(value(CLAIM.emailAddress), PEER.login);
      assert.equal(value(CLAIM.name), PEER.login);
      assert.equal(value(CLAIM.givenName), 'Ann');
      assert.equal(value(CLAIM.surname), 'Interop');
      assert.equal(value(CLAIM.tenantId), TENANT);
      assert.ok(attributes.every((a) => !a.hasAttribute('NameFormat')));
      assert.match(assertion.getAttribute('ID') ?? '', /^_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const issued = seconds(assertion.getAttribute('IssueInstant'));
      const conditions = assertion.getElementsByTagNameNS(NS.assertion, 'Conditions')[0];
      assert.equal(issued - seconds(conditions?.getAttribute('NotBefore') ?? null), 300);
      assert.equal(seconds(conditions?.getAttribute('NotOnOrAfter') ?? null) - issued, 3600);
    });

    it("publishes signed federation metadata shaped like Entra's: claim types offered, no NameIDFormat, the tenant's saml2 endpoint", async () => {
      await setUp('entra');
      const root = await metadataOf();
      assert.equal(root.getAttribute('entityID'), `https://sts.windows.net/${TENANT}/`);
      assert.match(root.getAttribute('ID') ?? '', /^_[0-9a-f-]{36}$/);
      assert.equal((root.firstChild as Element).localName, 'Signature');
      const roles = children(root, NS.metadata, 'RoleDescriptor').map((r) => r.getAttributeNS(NS.xsi, 'type'));
      assert.deepEqual(roles, ['fed:SecurityTokenServiceType', 'fed:ApplicationServiceType']);
      const offered = Array.from(root.getElementsByTagNameNS(NS.wsfedAuth, 'ClaimType')).map((c) => c.getAttribute('Uri'));
      assert.ok(offered.includes(CLAIM.emailAddress));
      const idp = children(root, NS.metadata, 'IDPSSODescriptor')[0];
      assert.ok(idp);
      assert.equal(children(idp, NS.metadata, 'NameIDFormat').length, 0);
      const sso = children(idp, NS.metadata, 'SingleSignOnService').map((s) => [s.getAttribute('Binding'), s.getAttribute('Location')]);
      const endpoint = `${server.url}/idp/entra/${TENANT}/saml2`;
      assert.deepEqual(sso, [[BINDING.redirect, endpoint], [BINDING.post, endpoint]]);
    });

    it('lists the new certificate beside the active one until it is made active', async () => {
      await setUp('entra');
      const certificates = async () =>
        children(children(await metadataOf(), NS.metadata, 'IDPSSODescriptor')[0] as Element, NS.metadata, 'KeyDescriptor').map(
          (k) => k.getElementsByTagNameNS(NS.dsig, 'X509Certificate')[0]?.textContent,
        );
      const [active] = await certificates();
      await admin(server, 'post', `/idp/api/apps/${PEER.appId}/keys/next`).send({}).expect(201);
      const both = await certificates();
      assert.equal(both.length, 2);
      assert.equal(both[0], active);
      await admin(server, 'post', `/idp/api/apps/${PEER.appId}/keys/rotate`).expect(200);
      assert.deepEqual(await certificates(), [both[1]]);
    });

    it('answers the federation metadata URL for an unknown appid with IDP_APP_NOT_FOUND', async () => {
      const res = await request(server.server)
        .get(`/idp/entra/${TENANT}/federationmetadata/2007-06/federationmetadata.xml?appid=00000000-0000-0000-0000-000000000000`)
        .set('accept', 'application/json')
        .expect(404);
      assert.equal(res.body.error, 'IDP_APP_NOT_FOUND');
    });
  });

  it('keeps basic NameFormat for the other flavours unless changed', async () => {
    await setUp('okta');
    const first = Array.from(assertionOf(await responseOf()).getElementsByTagNameNS(NS.assertion, 'Attribute'))[0];
    assert.equal(first?.getAttribute('NameFormat'), ATTRNAME_FORMAT.basic);
  });
});
