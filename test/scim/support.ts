// SCIM tests: a running harness, an SP account with an admin, and a bearer token for it.
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import type { ScimSettingsInput } from '../../src/sp/inputs.js';
import type { ScimRuleName } from '../../src/sp/model.js';
import { admin, startTestServer } from '../support/harness.js';

export const SCIM_JSON = 'application/scim+json';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ScimTarget {
  server: RunningHarness;
  accountId: string;
  token: string;
  /** A SCIM request with the bearer token, sending application/scim+json. */
  scim(method: Method, path: string): request.Test;
  setScim(settings: ScimSettingsInput): Promise<void>;
  rules(switches: Partial<Record<ScimRuleName, boolean>>): Promise<void>;
}

export async function scimTarget(server: RunningHarness, settings: ScimSettingsInput = {}, name = 'Acme SCIM'): Promise<ScimTarget> {
  const account = await admin(server, 'post', '/sp/api/accounts').send({ name }).expect(201);
  const accountId: string = account.body.id;
  const adminUser = await admin(server, 'post', `/sp/api/accounts/${accountId}/users`)
    .send({ email: `admin-${accountId.slice(0, 8)}@acme.test`, firstName: 'Ada', lastName: 'Admin', role: 'user-admin' })
    .expect(201);
  const tokens = await server.app.harness.sp.oauth.issueTokens({ accountId, userId: adminUser.body.id, clientId: 'test', scope: 'SCIM' });
  const setScim = async (s: ScimSettingsInput): Promise<void> => {
    await admin(server, 'patch', `/sp/api/accounts/${accountId}/scim`).send(s).expect(200);
  };
  if (Object.keys(settings).length > 0) await setScim(settings);
  return {
    server,
    accountId,
    token: tokens.accessToken,
    scim: (method, path) => {
      const req = request(server.server)[method](`/scim/v2${path}`).set('authorization', `Bearer ${tokens.accessToken}`).set('accept', SCIM_JSON);
      return method === 'get' || method === 'delete' ? req : req.type(SCIM_JSON);
    },
    setScim,
    rules: (switches) => setScim({ rules: switches }),
  };
}

export { startTestServer, admin };

/** A user body RingCentral accepts: userName = work email, names, a US work address. */
export function rcUser(email: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [CORE_USER, ENTERPRISE_USER],
    userName: email,
    name: { givenName: 'Grace', familyName: 'Hopper' },
    emails: [{ value: email, type: 'work', primary: true }],
    addresses: [{ type: 'work', streetAddress: '20 Davis Dr', locality: 'Belmont', region: 'CA', postalCode: '94002', country: 'US' }],
    phoneNumbers: [{ type: 'mobile', value: '+16505550100' }],
    [ENTERPRISE_USER]: { department: 'Engineering' },
    ...extra,
  };
}

export const patchOp = (...ops: Record<string, unknown>[]): Record<string, unknown> => ({ schemas: [PATCH_OP], Operations: ops });
