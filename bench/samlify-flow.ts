// The same SP-initiated flow done with samlify 2.13.1, the comparison the performance budgets
// name: an IdP and an SP with our fixture keys, a signed HTTP-Redirect AuthnRequest (our SP signs
// its requests by default), an assertion-signed Response carrying `email` and `number`, and the
// SP parsing it. Schema validation is a no-op, as in reference/performance.md.
// samlify is CommonJS; its getters (SamlLib) are only on the default export under ESM.
import { randomUUID } from 'node:crypto';
import samlify, { type IdentityProviderInstance, type ServiceProviderInstance } from 'samlify';
import type { KeyPairPem } from '../src/crypto/keys.js';
import { ATTRNAME_FORMAT, AUTHN_CONTEXT, BINDING, NAMEID_FORMAT, STATUS } from '../src/saml/urn.js';
import type { Workload } from './measure.js';

const IDP_ENTITY_ID = 'http://localhost:8400/idp/apps/ringcentral';
const IDP_SSO_URL = `${IDP_ENTITY_ID}/sso`;
const SP_ENTITY_ID = 'http://localhost:8400/sp';
const SP_ACS_URL = 'http://localhost:8400/sp/acs';
const USER = { email: 'ann@acme.test', number: '+16505550101' };


// samlify's default template with a real AuthnStatement; attributes expand {AttributeStatement}.
const RESPONSE_TEMPLATE = samlify.SamlLib.defaultLoginResponseTemplate.context.replace(
  '{AuthnStatement}',
  `<saml:AuthnStatement AuthnInstant="{IssueInstant}" SessionIndex="{SessionIndex}"><saml:AuthnContext><saml:AuthnContextClassRef>${AUTHN_CONTEXT.passwordProtectedTransport}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
);

type Idp = IdentityProviderInstance;
type Sp = ServiceProviderInstance;
type ParsedRequest = Awaited<ReturnType<Idp['parseLoginRequest']>>;

export interface SamlifyPair {
  idp: Idp;
  sp: Sp;
}

function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

export function createSamlifyPair(keys: { idp: KeyPairPem; sp: KeyPairPem }): SamlifyPair {
  samlify.setSchemaValidator({ validate: async () => 'skipped' });
  const idp = samlify.IdentityProvider({
    entityID: IDP_ENTITY_ID,
    privateKey: keys.idp.privateKeyPem,
    signingCert: pemBody(keys.idp.certificatePem),
    wantAuthnRequestsSigned: true,
    nameIDFormat: [NAMEID_FORMAT.emailAddress],
    singleSignOnService: [
      { Binding: BINDING.redirect, Location: IDP_SSO_URL },
      { Binding: BINDING.post, Location: IDP_SSO_URL },
    ],
    // Not used; declared only so samlify does not warn about its absence.
    singleLogoutService: [{ Binding: BINDING.redirect, Location: `${IDP_ENTITY_ID}/slo` }],
    loginResponseTemplate: {
      context: RESPONSE_TEMPLATE,
      attributes: [
        { name: 'email', valueTag: 'email', nameFormat: ATTRNAME_FORMAT.basic, valueXsiType: 'xs:string' },
        { name: 'number', valueTag: 'number', nameFormat: ATTRNAME_FORMAT.basic, valueXsiType: 'xs:string' },
      ],
    },
  });
  const sp = samlify.ServiceProvider({
    entityID: SP_ENTITY_ID,
    privateKey: keys.sp.privateKeyPem,
    signingCert: pemBody(keys.sp.certificatePem),
    authnRequestsSigned: true,
    wantAssertionsSigned: true,
    nameIDFormat: [NAMEID_FORMAT.emailAddress],
    assertionConsumerService: [{ Binding: BINDING.post, Location: SP_ACS_URL }],
  });
  return { idp, sp };
}

/** What an Express handler hands samlify: the decoded query, and the signed octets as received. */
function redirectRequest(url: string): { query: Record<string, string>; octetString: string } {
  const raw = url.slice(url.indexOf('?') + 1);
  const query = Object.fromEntries(new URLSearchParams(raw));
  const octetString = raw
    .split('&')
    .filter((p) => !p.startsWith('Signature='))
    .join('&');
  return { query, octetString };
}

/** The IdP's response with samlify's documented template callback (values are escaped by it). */
function createResponse(pair: SamlifyPair, request: ParsedRequest, sessionIndex: string) {
  const { idp, sp } = pair;
  return idp.createLoginResponse(sp, { extract: request.extract }, 'post', { email: USER.email }, {
    customTagReplacement: (template: string) => {
      const now = new Date();
      const later = new Date(now.getTime() + 5 * 60_000).toISOString();
      const id = idp.entitySetting.generateID?.() ?? `_${randomUUID()}`;
      const values = {
        ID: id,
        AssertionID: idp.entitySetting.generateID?.() ?? `_${randomUUID()}`,
        Destination: SP_ACS_URL,
        Audience: SP_ENTITY_ID,
        SubjectRecipient: SP_ACS_URL,
        Issuer: IDP_ENTITY_ID,
        IssueInstant: now.toISOString(),
        StatusCode: STATUS.success,
        ConditionsNotBefore: new Date(now.getTime() - 60_000).toISOString(),
        ConditionsNotOnOrAfter: later,
        SubjectConfirmationDataNotOnOrAfter: later,
        NameIDFormat: NAMEID_FORMAT.emailAddress,
        NameID: USER.email,
        InResponseTo: String((request.extract.request as Record<string, string> | undefined)?.id ?? ''),
        SessionIndex: sessionIndex,
        attrEmail: USER.email,
        attrNumber: USER.number,
      };
      return { id, context: samlify.SamlLib.replaceTagsByValue(template, values) };
    },
  });
}

async function parseRequest(pair: SamlifyPair, url: string): Promise<ParsedRequest> {
  return pair.idp.parseLoginRequest(pair.sp, 'redirect', redirectRequest(url));
}

function loginRequestUrl(pair: SamlifyPair): string {
  return pair.sp.createLoginRequest(pair.idp, 'redirect').context;
}

async function parseResponse(pair: SamlifyPair, samlResponse: string) {
  const parsed = await pair.sp.parseLoginResponse(pair.idp, 'post', { body: { SAMLResponse: samlResponse } });
  const attributes = parsed.extract.attributes as Record<string, string> | undefined;
  if (attributes?.email !== USER.email) throw new Error('samlify: the parsed response has no email attribute');
  return parsed;
}

/** One complete SP-initiated login, checked once so a broken setup cannot pass as a fast one. */
export async function samlifyRoundTrip(pair: SamlifyPair): Promise<void> {
  const request = await parseRequest(pair, loginRequestUrl(pair));
  const response = await createResponse(pair, request, `_s${randomUUID()}`);
  await parseResponse(pair, response.context);
}

export async function samlifyWorkloads(pair: SamlifyPair): Promise<{
  signResponse: Workload;
  validateResponse: Workload;
  roundTrip: Workload;
}> {
  await samlifyRoundTrip(pair);
  const request = await parseRequest(pair, loginRequestUrl(pair));
  const sample = await createResponse(pair, request, '_s1');
  return {
    signResponse: { run: () => createResponse(pair, request, '_s1') },
    // samlify keeps no state (no InResponseTo or replay check), so one response serves every run.
    validateResponse: { run: () => parseResponse(pair, sample.context) },
    roundTrip: { run: () => samlifyRoundTrip(pair) },
  };
}
