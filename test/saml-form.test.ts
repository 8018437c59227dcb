// The form reader of the SAML binding endpoints (src/http/saml-form.ts): it decodes what a
// browser, curl or a SAML library sends exactly as URL-encoded forms are decoded, and refuses
// what no binding sends.
import assert from 'node:assert/strict';
import { HarnessError } from '../src/errors.js';
import { formField, readSamlForm } from '../src/http/saml-form.js';
import { encodePostMessage } from '../src/saml/encoding.js';
import { startTestServer } from './support/harness.js';

const read = (body: string): Record<string, string | string[]> => readSamlForm(Buffer.from(body, 'latin1'));

describe('the SAML binding form reader', () => {
  it('decodes what URLSearchParams encodes, base64 messages and Unicode RelayState included', () => {
    const message = encodePostMessage(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_ü">${'x'.repeat(5000)}?</samlp:Response>`);
    const relayState = 'https://app.example/return?to=a b&c=d+e%/ü€𝄞';
    const body = new URLSearchParams({ SAMLResponse: message, RelayState: relayState }).toString();
    assert.ok(body.includes('%2B') || body.includes('%2F'), 'the message has characters a form must escape');
    const fields = readSamlForm(Buffer.from(body, 'utf8'));
    assert.equal(fields.SAMLResponse, message);
    assert.equal(fields.RelayState, relayState);
  });

  it('reads + as a space, %2B as a plus, and keeps a % that starts no escape', () => {
    assert.deepEqual({ ...read('a=x+y%2Bz&b=100%&c=%zz%4&d=%41') }, { a: 'x y+z', b: '100%', c: '%zz%4', d: 'A' });
  });

  it('reads a field without = as empty, skips empty pairs, and decodes escaped names', () => {
    assert.deepEqual({ ...read('&&Relay%53tate=r&flag&&') }, { RelayState: 'r', flag: '' });
  });

  it('keeps every value of a repeated field, so that formField() sees none', () => {
    const fields = read('SAMLResponse=one&SAMLResponse=two&RelayState=r');
    assert.deepEqual(fields.SAMLResponse, ['one', 'two']);
    assert.equal(formField(fields, 'SAMLResponse'), undefined);
    assert.equal(formField(fields, 'RelayState'), 'r');
  });

  it('reads a form sent in ISO-8859-1 as ISO-8859-1', () => {
    assert.equal(readSamlForm(Buffer.from('RelayState=caf%E9+%E0', 'latin1'), 'latin1').RelayState, 'café à');
    assert.equal(readSamlForm(Buffer.from('RelayState=caf%C3%A9', 'latin1')).RelayState, 'café');
  });

  it('builds no prototype-polluting keys', () => {
    const fields = read('__proto__=x&constructor=y');
    assert.equal(Object.getPrototypeOf(fields), null);
    assert.equal(({} as Record<string, unknown>).x, undefined);
    assert.equal(fields.__proto__, 'x');
  });

  it('refuses a form with more than 10 fields, saying how many a binding sends', () => {
    assert.doesNotThrow(() => read(Array.from({ length: 10 }, (_, i) => `f${i}=v`).join('&')));
    assert.throws(
      () => read(Array.from({ length: 11 }, (_, i) => `f${i}=v`).join('&')),
      (err: unknown) => err instanceof HarnessError && err.code === 'INPUT_INVALID' && /more than 10 fields/.test(err.message),
    );
  });
});

describe('the SAML binding endpoints read their form with it', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  const post = (path: string, body: string, contentType = 'application/x-www-form-urlencoded') =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { accept: 'application/json', 'content-type': contentType }, body });

  it('refuses a form in a charset other than UTF-8 or ISO-8859-1, naming it', async () => {
    const res = await post('/sp/acs', 'SAMLResponse=PHg%2B', 'application/x-www-form-urlencoded; charset=koi8-r');
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: string; message: string };
    assert.equal(body.error, 'INPUT_INVALID');
    assert.match(body.message, /koi8-r/);
  });

  it('treats a repeated SAMLResponse as no SAMLResponse', async () => {
    const res = await post('/sp/acs', `SAMLResponse=${encodeURIComponent(encodePostMessage('<a/>'))}&SAMLResponse=x`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: string; message: string };
    assert.match(`${body.error} ${body.message}`, /SAMLResponse/);
  });

  it('refuses an over-long form from its Content-Length with BODY_TOO_LARGE', async () => {
    const res = await post('/idp/apps/ringcentral/sso', `SAMLRequest=${'A'.repeat(400 * 1024)}`);
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: string }).error, 'BODY_TOO_LARGE');
  });
});
