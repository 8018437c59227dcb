// The harness admin API calls the SP audit needs: the scenario list, the application, its SP
// metadata, the user to sign in as, and the "next response" queue.
import { randomBytes } from 'node:crypto';
import { AdminClient } from '../../harness/demo.js';
import { AuditError, networkReason } from './errors.js';
import { errorMessage } from '../../caught-error.js';

export const AUDIT_GROUP = 'sso-harness audit';

export interface ListedScenario {
  id: string;
  title: string;
  row?: number;
  kind: 'valid' | 'attack' | 'fault';
  /** Set when the verdict follows one SP's own rules (RingCentral's attribute requirements), not SAML's. */
  spProfile?: 'ringcentral';
  expect: { verdict: 'accept' | 'reject'; code?: string };
}

export interface AuditedApp {
  id: string;
  sp: { entityId: string; acs: { url: string; isDefault?: boolean }[] };
  groups: string[];
}

interface ListedUser {
  id: string;
  email: string;
}

interface ListedGroup {
  id: string;
  name: string;
  members: string[];
}

export class AuditAdmin {
  private readonly client: AdminClient;

  constructor(
    private readonly harnessUrl: string,
    adminToken: string,
    fetchImpl: typeof fetch,
    private readonly appId: string,
  ) {
    this.client = new AdminClient(harnessUrl, adminToken, fetchImpl);
  }

  private async call<T>(what: string, method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    try {
      return await this.client.call<T>(method, path, body, contentType);
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') throw err;
      if (err instanceof TypeError) {
        throw new AuditError('AUDIT_UNREACHABLE', `cannot reach the harness at ${this.harnessUrl} (${networkReason(err)})`);
      }
      const message = errorMessage(err);
      const status = /failed: HTTP (\d+) ([\s\S]*)$/.exec(message);
      const body = status?.[2] ? summarizeApiError(status[2]) : message;
      if (status?.[1] === '401') throw new AuditError('AUDIT_SETUP', `the harness admin API refused the token while trying to ${what}`);
      throw new AuditError('AUDIT_SETUP', `could not ${what}: ${status ? `HTTP ${status[1]} ` : ''}${body}`);
    }
  }

  scenarios(): Promise<ListedScenario[]> {
    return this.call('list the response scenarios', 'GET', '/idp/api/scenarios');
  }

  app(): Promise<AuditedApp> {
    return this.call(`read the IdP application ${this.appId}`, 'GET', `/idp/api/apps/${encodeURIComponent(this.appId)}`);
  }

  uploadSpMetadata(xml: string): Promise<AuditedApp> {
    return this.call(`upload the SP metadata to ${this.appId}`, 'PUT', `/idp/api/apps/${encodeURIComponent(this.appId)}/sp-metadata`, xml, 'application/xml');
  }

  async findUser(email: string): Promise<ListedUser | undefined> {
    const users = await this.call<ListedUser[]>('list the IdP users', 'GET', '/idp/api/users');
    return users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  }

  /** Creates a user with a random password and binds it to the application through the audit group. */
  async createBoundUser(email: string): Promise<{ user: ListedUser; password: string }> {
    const password = randomBytes(18).toString('base64url');
    const user = await this.call<ListedUser>(`create the IdP user ${email}`, 'POST', '/idp/api/users', {
      email,
      firstName: 'sso-harness',
      lastName: 'audit',
      password,
    });
    try {
      const groups = await this.call<ListedGroup[]>('list the IdP groups', 'GET', '/idp/api/groups');
      let group = groups.find((g) => g.name === AUDIT_GROUP);
      if (group) await this.call(`add ${email} to the group ${AUDIT_GROUP}`, 'PUT', `/idp/api/groups/${encodeURIComponent(group.id)}/members/${encodeURIComponent(user.id)}`);
      else group = await this.call<ListedGroup>(`create the group ${AUDIT_GROUP}`, 'POST', '/idp/api/groups', { name: AUDIT_GROUP, members: [user.id] });
      await this.call(`bind the group ${AUDIT_GROUP} to ${this.appId}`, 'PUT', `/idp/api/apps/${encodeURIComponent(this.appId)}/groups/${encodeURIComponent(group.id)}`);
    } catch (err) {
      await this.deleteUser(user.id).catch(() => undefined);
      throw err;
    }
    return { user, password };
  }

  async deleteUser(id: string): Promise<void> {
    await this.call(`delete the IdP user ${id}`, 'DELETE', `/idp/api/users/${encodeURIComponent(id)}`);
  }

  async queueNext(scenario: string): Promise<void> {
    await this.call(`queue the scenario ${scenario}`, 'PUT', '/idp/api/next-response', { scenario, app: this.appId });
  }

  async clearNext(): Promise<void> {
    await this.call('clear the queued scenario', 'DELETE', `/idp/api/next-response?app=${encodeURIComponent(this.appId)}`);
  }
}

/** `{"error":"IDP_APP_NOT_FOUND","message":"…"}` → `IDP_APP_NOT_FOUND: …`. */
function summarizeApiError(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') return typeof body.message === 'string' ? `${body.error}: ${body.message}` : body.error;
  } catch {
    // not JSON: show it as it came
  }
  return text.slice(0, 200);
}
