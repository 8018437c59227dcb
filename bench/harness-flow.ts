// Our harness, wired in process through the domain APIs exactly as the demo wires it over HTTP
// (users, group, the RingCentral app with <mydomain>, an SP account importing the IdP metadata,
// email mapped to the custom `email` attribute, SP metadata uploaded, SSO enabled, group bound),
// and the three workloads the budgets name: the IdP building a signed response, the SP
// validating one with every check on, and a whole SP-initiated login minus the network.
import type { KeyPairPem } from '../src/crypto/keys.js';
import { newLoginNonce } from '../src/crypto/login-binding.js';
import { resolveConfig } from '../src/harness/config.js';
import { createHarnessContext, type HarnessContext } from '../src/harness/context.js';
import type { IdpApp, IdpUser } from '../src/idp/model.js';
import { userProperty } from '../src/idp/model.js';
import { statementValue } from '../src/idp/user-attributes.js';
import type { IdpSession } from '../src/idp/sso-types.js';
import { encodePostMessage } from '../src/saml/encoding.js';
import { newSamlId } from '../src/saml/ids.js';
import { buildResponse, type ResponseSpec } from '../src/saml/response-builder.js';
import { NAMEID_FORMAT, signatureAlgorithmFor } from '../src/saml/urn.js';
import { validateResponse } from '../src/saml/validate/pipeline.js';
import type { OutstandingRequest, ValidationState } from '../src/saml/validate/types.js';
import { mapRef } from '../src/store/types.js';
import type { Workload } from './measure.js';

const ACCOUNT = { id: 'acme', name: 'Acme Corp' };
const APP_ID = 'ringcentral';
const USER = {
  email: 'ann@acme.test',
  firstName: 'Ann',
  lastName: 'Admin',
  number: '+16505550101',
  department: 'IT',
  password: 'ann-password-1',
};
/** Responses built per refill of the validation pool (built outside the timed part). */
const VALIDATE_BATCH = 64;

export interface WiredHarness {
  ctx: HarnessContext;
  app: IdpApp;
  user: IdpUser;
  /** The IdP session of a browser that has signed in once. */
  idpSessionId: string;
}

export async function wireHarness(keys: { idp: KeyPairPem; sp: KeyPairPem }): Promise<WiredHarness> {
  const config = resolveConfig({
    keys,
    passwordHashCost: { N: 1024, r: 8, p: 1 },
    log: () => undefined,
  });
  const ctx = await createHarnessContext(config);
  const { idp, sp } = ctx;

  const { password: _password, ...profile } = USER;
  const user = await idp.directory.createUser({ ...USER, addresses: [{ type: 'work', locality: 'Belmont', region: 'CA', country: 'US' }] });
  const group = await idp.directory.createGroup({ name: 'RingCentral Users', members: [user.id] });
  // The figures measure the Redirect-binding login they always have: the application declares it
  // (a JumpCloud application lists only HTTP-POST by default, and the SP would then post).
  let app = await idp.apps.create({ template: 'ringcentral', id: APP_ID, mydomain: new URL(config.spBaseUrl).host, declareRedirectEndpoint: true });

  await sp.accounts.create(ACCOUNT);
  await sp.directory.create(ACCOUNT.id, { ...profile, role: 'super-admin' });
  await sp.accounts.importIdpMetadata(ACCOUNT.id, { xml: idp.apps.metadata(app) });
  await sp.accounts.updateSso(ACCOUNT.id, { emailMapping: { kind: 'custom', name: 'email' } });
  app = await idp.apps.uploadSpMetadata(APP_ID, sp.metadata());
  await sp.accounts.updateSso(ACCOUNT.id, { enabled: true, loginMode: 'sso-or-password' });
  app = await idp.apps.bindGroup(APP_ID, group.id, true);

  // The user signs in at the IdP once; every round trip reuses that session, like a browser.
  const signedIn = await idp.directory.authenticate(USER.email, USER.password);
  const session = await idp.sso.startSession(signedIn);
  return { ctx, app, user: signedIn, idpSessionId: session.id };
}

/** One SP-initiated login, everything but the network. */
export async function harnessRoundTrip(h: WiredHarness): Promise<void> {
  const { idp, sp } = h.ctx;
  const browserNonce = newLoginNonce();
  const start = await sp.login.start(ACCOUNT.id, browserNonce);
  const rawQuery = start.url.slice(start.url.indexOf('?') + 1);
  const received = await idp.sso.receiveRequest(APP_ID, { binding: 'redirect', rawQuery });
  if (received.kind !== 'login') throw new Error('bench: the IdP answered with an error Response');
  const session = await idp.sso.getSession(h.idpSessionId);
  if (!session) throw new Error('bench: the IdP session expired');
  const issued = await idp.sso.respond(received, session);
  const outcome = await sp.login.consume(issued.samlResponse, issued.relayState, [browserNonce]);
  if (outcome.user.email !== USER.email) throw new Error(`bench: signed in as ${outcome.user.email}`);
}

/** The response the IdP's SSO service builds for this app and user (as IdpSso does). */
function responseSpec(h: WiredHarness, session: IdpSession, inResponseTo: string): ResponseSpec {
  const { app, user, ctx } = h;
  return {
    issuer: app.idpEntityId,
    destination: h.ctx.sp.endpoints.acsUrl,
    audience: app.sp.entityId,
    inResponseTo,
    nameId: userProperty(user, app.nameId.property) ?? user.email,
    nameIdFormat: NAMEID_FORMAT[app.nameId.format],
    attributes: app.attributes.flatMap((a) => {
      const value = statementValue(user, a);
      return value === undefined || value === '' ? [] : [{ name: a.name, values: [value] }];
    }),
    sessionIndex: session.sessionIndex,
    nowMs: ctx.idp.clock.now(),
    authnInstantMs: session.authnInstantMs,
    lifetimeSec: ctx.config.idp.assertionLifetimeSec,
    signing: {
      key: ctx.idp.key,
      algorithm: signatureAlgorithmFor(app.signing.algorithm),
      assertion: app.signing.assertion,
      response: app.signing.response,
    },
  };
}

function signedResponse(h: WiredHarness, session: IdpSession, inResponseTo: string): string {
  return encodePostMessage(buildResponse(responseSpec(h, session, inResponseTo)).xml);
}

export async function harnessWorkloads(h: WiredHarness): Promise<{
  signResponse: Workload;
  validateResponse: Workload;
  roundTrip: Workload;
}> {
  await harnessRoundTrip(h);
  const { sp, store } = h.ctx;
  const session = await h.ctx.idp.sso.getSession(h.idpSessionId);
  if (!session) throw new Error('bench: no IdP session');
  const clock = sp.clock;

  // The SP's own kind of state (store-backed, single-use requests, remembered assertion IDs),
  // under separate names so the validation figure does not share maps with the round trip.
  const requests = store.expiring(mapRef<OutstandingRequest>('bench.sp.requests', { maxEntries: 100_000 }));
  const assertions = store.expiring(mapRef<true>('bench.sp.assertions', { maxEntries: 1_000_000, whenFull: 'refuse' }));
  const state: ValidationState = {
    takeRequest: (id) => requests.take(id, clock.now()),
    rememberAssertion: (id, expiresAtMs) => assertions.add(id, true, expiresAtMs, clock.now()),
  };
  const expect = sp.login.expectations(await sp.accounts.get(ACCOUNT.id));
  const prepare = async (): Promise<string[]> => {
    const batch: string[] = [];
    for (let i = 0; i < VALIDATE_BATCH; i++) {
      const id = newSamlId();
      const expiresAtMs = clock.now() + 600_000;
      await requests.set(id, { id, scope: ACCOUNT.id, expiresAtMs }, expiresAtMs);
      batch.push(signedResponse(h, session, id));
    }
    return batch;
  };
  const validate = async (encoded: string): Promise<void> => {
    const result = await validateResponse(encoded, { ...expect, nowMs: clock.now() }, state);
    if (!result.ok) throw new Error(`bench: our SP rejected the response: ${result.error.code} ${result.error.message}`);
  };
  const [probe] = await prepare();
  await validate(probe as string);

  return {
    signResponse: { run: () => signedResponse(h, session, '_bench-request') },
    validateResponse: { batch: async () => (await prepare()).map((encoded) => () => validate(encoded)) },
    roundTrip: { run: () => harnessRoundTrip(h) },
  };
}
