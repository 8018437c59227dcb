// A store or driver failure inside the assertion consumer is not a verdict on the response: it
// leaves as the error it is (the HTTP layer answers a generic 500 and logs it), and the trace
// records it as INTERNAL with its own name and message.
import assert from 'node:assert/strict';
import { ControllableClock } from '../src/clock.js';
import { HarnessError } from '../src/errors.js';
import { encodePostMessage } from '../src/saml/encoding.js';
import { buildResponse } from '../src/saml/response-builder.js';
import type { SpAccounts } from '../src/sp/accounts.js';
import type { SpDirectory } from '../src/sp/directory.js';
import { SpLogin } from '../src/sp/login.js';
import { DEFAULT_SCIM_SETTINGS, type Account } from '../src/sp/model.js';
import { MemoryStore } from '../src/store/memory.js';
import { TraceLog } from '../src/trace/trace-log.js';
import { exampleResponseSpec } from './support/response-spec.js';
import { fixtureKey } from './support/keys.js';

const SPEC = { ...exampleResponseSpec, inResponseTo: undefined };
const ENDPOINTS = { entityId: SPEC.audience, acsUrl: SPEC.destination, homeUrl: 'https://sp.example/sp/home' };

const ACCOUNT: Account = {
  id: 'acct-1',
  name: 'Acme',
  createdAt: new Date(SPEC.nowMs).toISOString(),
  sso: {
    idp: {
      entityId: SPEC.issuer,
      ssoServices: [],
      certificates: [fixtureKey('idp').certificateBase64],
      attributes: ['email'],
      nameIdFormats: [],
      wantAuthnRequestsSigned: undefined,
      source: { kind: 'file' },
      importedAt: new Date(SPEC.nowMs).toISOString(),
    },
    emailMapping: { kind: 'attribute', name: 'email' },
    enabled: true,
    loginMode: 'sso-only',
    allowUnsolicited: true,
    clockSkewSec: 60,
    requireNumberAttribute: false,
    allowSha1: false,
  },
  scim: DEFAULT_SCIM_SETTINGS,
};

const driverError = () => Object.assign(new Error('Connection terminated unexpectedly'), { name: 'DatabaseError' });

function spLogin(accounts: Partial<SpAccounts>, directory: Partial<SpDirectory>): { login: SpLogin; trace: TraceLog } {
  const clock = new ControllableClock().freeze(SPEC.nowMs);
  const trace = new TraceLog(10, () => clock.now());
  const settings = { signAuthnRequests: false, requestLifetimeSec: 300, sessionLifetimeSec: 3600, maxOutstandingRequests: 100 };
  const login = new SpLogin(new MemoryStore(), accounts as SpAccounts, directory as SpDirectory, fixtureKey('sp'), ENDPOINTS, clock, trace, settings);
  return { login, trace };
}

describe('SpLogin.consume when the store fails', () => {
  const response = encodePostMessage(buildResponse(SPEC).xml);

  const cases: [string, Partial<SpAccounts>, Partial<SpDirectory>, string[]][] = [
    ['while it looks up the account of the issuer', { findByIdpEntityId: () => Promise.reject(driverError()) }, {}, []],
    [
      'while it looks up the user of a response that passed every check',
      { findByIdpEntityId: async () => ACCOUNT },
      { findInAccount: () => Promise.reject(driverError()) },
      ['pass'],
    ],
  ];

  for (const [when, accounts, directory, verdicts] of cases) {
    it(`leaves with the driver's error and records it as INTERNAL ${when}`, async () => {
      const { login, trace } = spLogin(accounts, directory);
      await assert.rejects(login.consume(response, undefined, []), (err: unknown) => {
        assert.ok(!(err instanceof HarnessError), 'the driver error is not dressed up as a verdict');
        assert.equal((err as Error).name, 'DatabaseError');
        return true;
      });
      const [entry] = trace.list({ side: 'sp' });
      assert.equal(entry?.verdict, 'rejected');
      assert.deepEqual(entry?.error, {
        code: 'INTERNAL',
        message: 'unexpected error while signing the user in; the harness log has the details',
        detail: 'DatabaseError: Connection terminated unexpectedly',
      });
      assert.equal(entry?.summary, 'response rejected: INTERNAL');
      // The checks that ran are kept: every one of them passed before the store failed.
      assert.deepEqual([...new Set(entry?.checks.map((c) => c.verdict))], verdicts);
    });
  }
});
