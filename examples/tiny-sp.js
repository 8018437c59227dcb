// A tiny Express SP of our own (node-saml behind two routes), registered at the harness IdP
// through the typed admin client, plus the browser steps of an SP-initiated login with fetch.
// Both example suites use it.
import { once } from 'node:events';
import express from 'express';
import { SAML } from '@node-saml/node-saml';

const APP_ID = 'tiny-sp';

/** Starts the SP on 127.0.0.1 and adds it to the harness IdP as a custom SAML application. */
export async function startTinySp(harness, { groupName = 'Tiny SP users' } = {}) {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${server.address().port}`;

  // The IdP side, as an administrator sets it up: the application, its SP values, a group bound to it.
  const idpApp = await harness.admin.idp.createApp({
    template: 'custom-saml',
    id: APP_ID,
    displayLabel: 'Tiny SP',
    spEntityId: `${url}/metadata`,
    acsUrls: [{ url: `${url}/acs` }],
  });
  const group = await harness.admin.idp.createGroup({ name: groupName });
  await harness.admin.idp.bindGroup(APP_ID, group.id);

  // The SP side, configured from the IdP's published metadata.
  const metadata = await harness.admin.idp.appMetadata(APP_ID);
  const cert = /<(?:ds:)?X509Certificate>([^<]+)</.exec(metadata)[1].replace(/\s+/g, '');
  const saml = new SAML({
    issuer: `${url}/metadata`,
    audience: `${url}/metadata`,
    callbackUrl: `${url}/acs`,
    entryPoint: idpApp.ssoUrl,
    idpCert: cert,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
  });

  app.get('/login', async (_req, res) => {
    res.redirect(await saml.getAuthorizeUrlAsync('', undefined, {}));
  });
  app.post('/acs', async (req, res) => {
    try {
      const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: req.body.SAMLResponse });
      res.type('text').send(`signed in as ${profile.nameID}`);
    } catch (err) {
      res.status(401).type('text').send(`rejected: ${err.message}`);
    }
  });

  return {
    url,
    /** Adds an IdP user allowed into the tiny SP. */
    async addUser(user) {
      const created = await harness.admin.idp.createUser(user);
      await harness.admin.idp.setMembership(group.id, created.id, true);
      return created;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_m, d) => String.fromCharCode(Number(d))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** What a browser does: /login at the SP → the IdP's sign-in form → the auto-posted SAMLResponse → the SP's ACS. */
export async function browserLogin(spUrl, email, password) {
  const toIdp = await fetch(`${spUrl}/login`, { redirect: 'manual' });
  const toForm = await fetch(toIdp.headers.get('location'), { redirect: 'manual' });
  const formUrl = new URL(toForm.headers.get('location'), toIdp.headers.get('location'));
  // The IdP binds the sign-in to the browser that brought the request: send its cookie back.
  const cookie = toForm.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const signIn = await fetch(new URL('/idp/login', formUrl), {
    method: 'POST',
    headers: { cookie },
    body: new URLSearchParams({ login: email, password, pending: formUrl.searchParams.get('pending') ?? '' }),
  });
  const page = await signIn.text();
  const action = /<form[^>]*action="([^"]*)"/.exec(page)?.[1];
  const samlResponse = /name="SAMLResponse" value="([^"]*)"/.exec(page)?.[1];
  if (!action || !samlResponse) return { status: signIn.status, text: page };
  const acs = await fetch(decode(action), { method: 'POST', body: new URLSearchParams({ SAMLResponse: decode(samlResponse) }) });
  return { status: acs.status, text: await acs.text() };
}
