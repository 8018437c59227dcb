// The IdP's AuthnRequest pipeline on its own: the single-use memory of served request IDs, per SP
// and failing closed, and the verdict list a refusal leaves.
import assert from 'node:assert/strict';
import type { IdpApp } from '../src/idp/model.js';
import { decode } from '../src/idp/request-checks/decode.js';
import { message } from '../src/idp/request-checks/message.js';
import { runRequestChecks } from '../src/idp/request-checks/pipeline.js';
import { requestId } from '../src/idp/request-checks/request-id.js';
import type { RequestCheckResult, RequestExpectations } from '../src/idp/request-checks/types.js';
import { ServedRequests } from '../src/idp/served-requests.js';
import { buildAuthnRequest } from '../src/saml/authn-request.js';
import { encodePostMessage } from '../src/saml/encoding.js';
import { MemoryStore } from '../src/store/memory.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const clock = { now: () => NOW };
/** Decode, parse, single use: the checks that need no application. */
const CHECKS = [decode, message, requestId];
const expect = { app: {} as IdpApp, missingSettings: [], spCertificates: [], ssoUrls: [], nowMs: NOW, allowedClockSkewSec: 180, maxAgeMs: 300_000 } satisfies RequestExpectations;

/** The single-use check's verdict: `pass`, or the code it failed with. */
const singleUse = (result: RequestCheckResult): string => {
  const verdict = result.checks.find((c) => c.check === requestId.id);
  return verdict?.verdict === 'fail' ? (verdict.code ?? 'fail') : (verdict?.verdict ?? 'missing');
};

const post = (issuer: string, id: string) => ({
  binding: 'post' as const,
  samlRequest: encodePostMessage(buildAuthnRequest({ id, issuer, destination: 'https://idp.test/sso', acsUrl: 'https://sp.test/acs', nowMs: NOW }).xml),
});

describe('served AuthnRequest IDs', () => {
  it('serves an ID once per SP, and the same ID from another SP once too', async () => {
    const served = new ServedRequests(new MemoryStore(), clock);
    const run = async (issuer: string, id: string) => singleUse(await runRequestChecks(CHECKS, post(issuer, id), expect, served));
    assert.equal(await run('https://sp-a.test', '_one'), 'pass');
    assert.equal(await run('https://sp-a.test', '_one'), 'IDP_REQUEST_REPLAY');
    assert.equal(await run('https://sp-b.test', '_one'), 'pass');
  });

  it('refuses new IDs with STORE_FULL when full of live ones, and never forgets a served one', async () => {
    const served = new ServedRequests(new MemoryStore(), clock, 2);
    const run = async (id: string, issuer = 'https://sp-a.test') => singleUse(await runRequestChecks(CHECKS, post(issuer, id), expect, served));
    assert.equal(await run('_first'), 'pass');
    assert.equal(await run('_second'), 'pass');
    assert.equal(await run('_third'), 'STORE_FULL');
    assert.equal(await run('_first'), 'IDP_REQUEST_REPLAY');
    // Another SP has room of its own.
    assert.equal(await run('_third', 'https://sp-b.test'), 'pass');
  });

  it('lists a refusal as fail with its code, and the checks after it as skipped', async () => {
    const served = new ServedRequests(new MemoryStore(), clock);
    const result = await runRequestChecks(CHECKS, { binding: 'post', samlRequest: encodePostMessage('<not-saml/>') }, expect, served);
    assert.deepEqual(
      result.checks.map((c) => [c.check, c.verdict, c.code]),
      [['decode', 'pass', undefined], ['message', 'fail', 'SAML_MESSAGE_UNEXPECTED'], ['request-id', 'skip', undefined]],
    );
  });
});
