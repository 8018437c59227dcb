// The one error exit per wire format: what a client sees for each kind of error, in the harness's
// JSON and pages, RFC 7644 (SCIM) and RFC 6749 (OAuth token endpoint). Each row throws an error in
// a route behind the real handler of its format and asserts the status, headers and body.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { HarnessError } from '../src/errors.js';
import { errorHandler } from '../src/http/error-handler.js';
import { headed, showAgain } from '../src/http/error-view.js';
import { oauthErrorHandler } from '../src/http/oauth-error-handler.js';
import { scimFailureHandler } from '../src/http/scim-error-handler.js';
import { badRequest, stateConflict } from '../src/scim/errors.js';

type Format = 'harness' | 'scim' | 'oauth';

interface Row {
  name: string;
  format: Format;
  /** What the route throws (or rejects with). */
  fails: () => unknown;
  accept?: string;
  status: number;
  headers?: Record<string, string>;
  /** The JSON body, exactly; or, for a page, what its text must match. */
  body: Record<string, unknown> | RegExp[];
  /** Whether the handler writes a log line (only for what it did not expect). */
  logged?: boolean;
}

const CHECKS = [
  { check: 'signature', title: 'The response is signed by a pinned key', verdict: 'pass' as const, detail: 'signed by the IdP key' },
  { check: 'audience', title: 'The assertion is addressed to this SP', verdict: 'fail' as const, detail: 'audience https://other.test', code: 'SAML_AUDIENCE' as const },
];

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

const rows: Row[] = [
  {
    name: 'a harness error as JSON, with what was expected and received and the setting to change',
    format: 'harness',
    fails: () => new HarnessError('SAML_AUDIENCE', 'the assertion is for https://other.test', { expected: 'https://sp.test', received: 'https://other.test' }),
    accept: 'application/json',
    status: 401,
    body: {
      error: 'SAML_AUDIENCE',
      message: 'the assertion is for https://other.test',
      title: 'The assertion is not addressed to this SP (AudienceRestriction)',
      expected: 'https://sp.test',
      received: 'https://other.test',
      fix: { side: 'idp', setting: 'SP Entity ID' },
    },
  },
  {
    name: "the admin token's challenge, carried by its code",
    format: 'harness',
    fails: () => new HarnessError('ADMIN_TOKEN', 'the admin API needs an Authorization header'),
    accept: 'application/json',
    status: 401,
    headers: { 'www-authenticate': 'Bearer realm="sso-harness admin"' },
    body: { error: 'ADMIN_TOKEN', message: 'the admin API needs an Authorization header', title: 'The admin API needs Authorization: Bearer <admin token>' },
  },
  {
    name: 'Retry-After from the seconds the error gives, in the header and the JSON',
    format: 'harness',
    fails: () => new HarnessError('SP_LOGIN_BUSY', 'the SP has 10 logins in progress', { retryAfterSec: 42 }),
    accept: 'application/json',
    status: 503,
    headers: { 'retry-after': '42' },
    body: {
      error: 'SP_LOGIN_BUSY',
      message: 'the SP has 10 logins in progress',
      title: 'The SP holds its maximum of logins in progress and starts no new one until some finish or expire',
      retryAfterSec: 42,
    },
  },
  {
    name: 'a refused response: the checks that ran, in the JSON',
    format: 'harness',
    fails: () => new HarnessError('SAML_AUDIENCE', 'the assertion is for https://other.test').withChecks(CHECKS),
    accept: 'application/json',
    status: 401,
    body: {
      error: 'SAML_AUDIENCE',
      message: 'the assertion is for https://other.test',
      title: 'The assertion is not addressed to this SP (AudienceRestriction)',
      fix: { side: 'idp', setting: 'SP Entity ID' },
      checks: CHECKS,
    },
  },
  {
    name: 'the explanation page, with the code, the message and the setting to change',
    format: 'harness',
    fails: () => new HarnessError('SP_SSO_DISABLED', 'SSO is not enabled for Acme'),
    status: 403,
    body: [/<h1>SSO is not enabled for this account<\/h1>/, /<code>SP_SSO_DISABLED<\/code><\/strong>: SSO is not enabled for Acme/, /What to change: <strong>Enable SSO<\/strong> on the SP side/],
  },
  {
    name: "a refused response's page: the flow's heading and the checks table",
    format: 'harness',
    fails: () => headed('Single sign-on failed')(new HarnessError('SAML_AUDIENCE', 'the assertion is for https://other.test').withChecks(CHECKS)),
    status: 401,
    body: [/<h1>Single sign-on failed<\/h1>/, /<code>SAML_AUDIENCE<\/code>/, /audience https:\/\/other\.test/, /signed by the IdP key/],
  },
  {
    name: "a form's page shown again with the message on it",
    format: 'harness',
    fails: () => showAgain((err) => `<form id="again"><p class="error">${err.message}</p></form>`)(new HarnessError('SP_BAD_CREDENTIALS', 'wrong email or password')),
    status: 401,
    body: [/^<form id="again"><p class="error">wrong email or password<\/p><\/form>$/],
  },
  {
    name: 'the same error as JSON when JSON is asked for: the page is for browsers only',
    format: 'harness',
    fails: () => showAgain(() => '<form id="again"></form>')(new HarnessError('SP_BAD_CREDENTIALS', 'wrong email or password')),
    accept: 'application/json',
    status: 401,
    body: { error: 'SP_BAD_CREDENTIALS', message: 'wrong email or password', title: 'Wrong email or password' },
  },
  {
    name: 'an unexpected error: a generic 500 that says nothing of it, and a log line',
    format: 'harness',
    fails: () => new TypeError("Cannot read properties of undefined (reading 'rows')"),
    accept: 'application/json',
    status: 500,
    body: { error: 'INTERNAL', message: 'unexpected error', title: 'Unexpected error' },
    logged: true,
  },
  {
    name: 'a SCIM error: status as a string, its scimType and the detail',
    format: 'scim',
    fails: () => badRequest('invalidFilter', 'filter "userName eq" is not valid SCIM filter syntax'),
    status: 400,
    body: { schemas: [SCIM_ERROR], status: '400', scimType: 'invalidFilter', detail: 'filter "userName eq" is not valid SCIM filter syntax' },
  },
  {
    name: 'a SCIM error without a scimType (a RingCentral state rule)',
    format: 'scim',
    fails: () => stateConflict('the user is pending: it can only be deleted'),
    status: 409,
    body: { schemas: [SCIM_ERROR], status: '409', detail: 'the user is pending: it can only be deleted' },
  },
  {
    name: "a SCIM 401 with the bearer challenge the error carries",
    format: 'scim',
    fails: () => new HarnessError('SCIM_UNAUTHORIZED', 'the bearer token is unknown', { headers: { 'WWW-Authenticate': 'Bearer realm="scim", error="invalid_token"' } }),
    status: 401,
    headers: { 'www-authenticate': 'Bearer realm="scim", error="invalid_token"' },
    body: { schemas: [SCIM_ERROR], status: '401', detail: 'the bearer token is unknown' },
  },
  {
    name: 'a SCIM 429 with Retry-After',
    format: 'scim',
    fails: () => new HarnessError('SCIM_RATE_LIMITED', 'rate limit: retry after 7 s', { retryAfterSec: 7 }),
    status: 429,
    headers: { 'retry-after': '7' },
    body: { schemas: [SCIM_ERROR], status: '429', detail: 'rate limit: retry after 7 s' },
  },
  {
    name: "the SP directory's duplicate, met by a SCIM write, as 409 uniqueness",
    format: 'scim',
    fails: () => new HarnessError('CONFLICT', 'ann@acme.test already exists'),
    status: 409,
    body: { schemas: [SCIM_ERROR], status: '409', scimType: 'uniqueness', detail: 'ann@acme.test already exists' },
  },
  {
    name: 'an unexpected error in SCIM: a 500 SCIM body that says nothing of it, and a log line',
    format: 'scim',
    fails: () => new Error('connection terminated unexpectedly'),
    status: 500,
    body: { schemas: [SCIM_ERROR], status: '500', detail: 'unexpected error in the SCIM service; the harness log has the details' },
    logged: true,
  },
  {
    name: 'a harness error the SCIM service did not expect (a full store) as that same 500',
    format: 'scim',
    fails: () => new HarnessError('STORE_FULL', 'the store holds its maximum of live entries'),
    status: 500,
    body: { schemas: [SCIM_ERROR], status: '500', detail: 'unexpected error in the SCIM service; the harness log has the details' },
    logged: true,
  },
  {
    name: 'an OAuth token error: error and error_description, 400, no caching',
    format: 'oauth',
    fails: () => new HarnessError('OAUTH_INVALID_GRANT', 'the authorization code was already used'),
    status: 400,
    headers: { pragma: 'no-cache' },
    body: { error: 'invalid_grant', error_description: 'the authorization code was already used' },
  },
  {
    name: 'invalid_client: 401 with the Basic challenge its code carries',
    format: 'oauth',
    fails: () => new HarnessError('OAUTH_INVALID_CLIENT', 'unknown client or wrong client secret'),
    status: 401,
    headers: { 'www-authenticate': 'Basic realm="RingCentral"', pragma: 'no-cache' },
    body: { error: 'invalid_client', error_description: 'unknown client or wrong client secret' },
  },
  {
    name: 'a wrong method: 405 invalid_request with Allow',
    format: 'oauth',
    fails: () => new HarnessError('OAUTH_METHOD_NOT_ALLOWED', '/token takes POST only'),
    status: 405,
    headers: { allow: 'POST' },
    body: { error: 'invalid_request', error_description: '/token takes POST only' },
  },
  {
    name: 'a harness error at the token endpoint (a body too large) as the harness JSON it passes on to',
    format: 'oauth',
    fails: () => new HarnessError('BODY_TOO_LARGE', 'the request body is too large'),
    accept: 'application/json',
    status: 413,
    body: { error: 'BODY_TOO_LARGE', message: 'the request body is too large', title: 'The request body is larger than allowed' },
  },
];

describe('error answers', () => {
  let server: Server;
  const logged: string[] = [];
  const log = (line: string) => logged.push(line);

  before(async () => {
    const app = express();
    // Each router's own handler first; what it passes on reaches the harness's, as in createApp.
    const mount = (prefix: string, format: Format, handler?: ErrorRequestHandler) => {
      const router = express.Router();
      router.all('/:row', async (req) => {
        const row = rows[Number(req.params.row)];
        if (!row || row.format !== format) throw new Error('no such row');
        throw await Promise.resolve(row.fails());
      });
      if (handler) router.use(handler);
      app.use(prefix, router);
    };
    mount('/harness', 'harness');
    mount('/scim', 'scim', scimFailureHandler(log));
    mount('/oauth', 'oauth', oauthErrorHandler());
    app.use(errorHandler(log));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  rows.forEach((row, i) => {
    it(`answers ${row.name}`, async () => {
      logged.length = 0;
      const res = await request(server)
        .post(`/${row.format}/${i}`)
        .set('accept', row.accept ?? 'text/html');
      assert.equal(res.status, row.status);
      for (const [name, value] of Object.entries(row.headers ?? {})) assert.equal(res.headers[name], value, name);
      if (Array.isArray(row.body)) {
        assert.match(res.headers['content-type'] ?? '', /^text\/html/);
        for (const pattern of row.body) assert.match(res.text, pattern);
      } else {
        assert.match(res.headers['content-type'] ?? '', row.format === 'scim' ? /^application\/scim\+json/ : /^application\/json/);
        assert.deepEqual(JSON.parse(res.text), row.body);
      }
      // The log line names where it happened and what it was; an expected error writes none.
      if (row.logged) assert.match(logged.join('\n'), new RegExp(`^error POST /${row.format}/${i}: \\w*Error`));
      else assert.deepEqual(logged, []);
    });
  });
});
