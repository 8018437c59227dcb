// Test servers: the real app on 127.0.0.1 and an ephemeral port, fixture keys, cheap password
// hashing, no demo unless asked. Stopped by the test.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { HarnessConfigInput } from '../../src/harness/config.js';
import { listen, type RunningHarness } from '../../src/harness/server.js';
import { fixturePem } from './keys.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * `SSO_HARNESS_TEST_STORE=sqlite` runs every test server on a SQLite file in a new temporary
 * folder instead of memory (the whole suite against the durable store).
 */
function storeForTests(): HarnessConfigInput {
  if (process.env.SSO_HARNESS_TEST_STORE !== 'sqlite') return {};
  return { store: join(mkdtempSync(join(tmpdir(), 'sso-harness-test-')), 'harness.db') };
}

export async function startTestServer(config: HarnessConfigInput = {}): Promise<RunningHarness> {
  return listen({
    ...storeForTests(),
    port: 0,
    host: '127.0.0.1',
    adminToken: ADMIN_TOKEN,
    keys: { idp: fixturePem('idp'), sp: fixturePem('sp') },
    passwordHashCost: { N: 1024, r: 8, p: 1 },
    log: () => undefined,
    ...config,
  });
}

/** An admin API call through supertest. */
export function admin(server: RunningHarness, method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) {
  return request(server.server)[method](path).set('authorization', `Bearer ${ADMIN_TOKEN}`).set('accept', 'application/json');
}

/** Reads the auto-post form the IdP answers with. */
export function autoPostFields(html: string): { action: string; SAMLResponse: string; RelayState?: string } {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  const saml = /name="SAMLResponse" value="([^"]*)"/.exec(html)?.[1];
  const relay = /name="RelayState" value="([^"]*)"/.exec(html)?.[1];
  if (!action || !saml) throw new Error(`not an auto-post form: ${html.slice(0, 300)}`);
  const unescape = (s: string) => s.replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)));
  return { action: unescape(action), SAMLResponse: unescape(saml), ...(relay !== undefined && { RelayState: unescape(relay) }) };
}
