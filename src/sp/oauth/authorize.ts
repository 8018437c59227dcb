// The authorization endpoint's flow (RFC 6749 §4.1 with PKCE): validate the client and its
// redirect URI → sign in (email or phone number, optional extension, password) → consent →
// role check → code. Every step's state lives server-side in one expiring authorization request,
// bound to a browser cookie and a CSRF token the forms carry.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { HarnessError } from '../../errors.js';
import { MAP, expiringMap } from '../../store/tables.js';
import type { Store } from '../../store/types.js';
import type { SpAccounts } from '../accounts.js';
import type { SpDirectory } from '../directory.js';
import type { SpRole } from '../model.js';
import type { OAuthClientRegistry } from './client-registry.js';
import type { OAuthClient } from './clients.js';
import type { AuthorizationCodes } from './codes.js';
import type { AuthorizeError } from './errors.js';
import { isCodeChallenge } from './pkce.js';
import { isPhoneLogin, signInUser } from './sign-in.js';
import { hashToken, newEndpointId } from './token-store.js';
import { assertPlanIncludes } from '../plans.js';

export interface AuthorizationRequest {
  id: string;
  csrfToken: string;
  /** SHA-256 of the browser cookie the request is bound to. */
  browser: string;
  clientId: string;
  clientRegistration?: string;
  redirectUri: string;
  redirectUriGiven: boolean;
  state?: string;
  codeChallenge?: string;
  scope: string;
  stage: 'sign-in' | 'consent' | 'denied';
  userId?: string;
  accountId?: string;
  failedSignIns: number;
  expiresAtMs: number;
}

export const SP_OAUTH_REQUESTS = expiringMap<AuthorizationRequest>(MAP.spOAuthRequests);

/** What a form brings back: the request it belongs to, its CSRF token, the browser's cookie. */
export interface FormProof {
  requestId: string | undefined;
  csrfToken: string | undefined;
  browserKey: string | undefined;
}

interface PageBase {
  requestId: string;
  csrfToken: string;
  clientName: string;
}

/** The next page of the flow, or the redirect back to the client. */
export type AuthorizeStep =
  | ({ kind: 'identify'; login?: string; error?: HarnessError } & PageBase)
  | ({ kind: 'password'; login: string; phone: boolean; extension?: string; error?: HarnessError } & PageBase)
  | ({ kind: 'consent'; email: string; accountName: string } & PageBase)
  | ({ kind: 'not-admin'; email: string; accountName: string; role: SpRole; error: HarnessError } & PageBase)
  | { kind: 'redirect'; url: string };

/** RFC 6749 §10.12 asks for the CSRF defence; 10 minutes to sign in and consent. */
export const REQUEST_TTL_SEC = 600;
const MAX_FAILED_SIGN_INS = 5;
export const MAX_STATE_LENGTH = 1024;
const ADMIN_ROLES: readonly SpRole[] = ['user-admin', 'super-admin'];
export const GRANTED_SCOPE = 'SCIM';

/** A parameter given at most once (RFC 6749 §3.1); an empty value counts as absent. */
function single(params: Record<string, unknown>, name: string): { value?: string; repeated?: true } {
  const v = params[name];
  if (Array.isArray(v)) return { repeated: true };
  return typeof v === 'string' && v !== '' ? { value: v } : {};
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export class AuthorizationFlow {
  private readonly requests;

  constructor(
    store: Store,
    private readonly clock: Clock,
    private readonly clients: OAuthClientRegistry,
    private readonly codes: AuthorizationCodes,
    private readonly accounts: SpAccounts,
    private readonly directory: SpDirectory,
  ) {
    // Anyone can open /authorize with a registered client's public id: full of live requests, the
    // map refuses new ones (STORE_FULL) rather than drop an authorization someone is signing in to.
    this.requests = store.expiring(SP_OAUTH_REQUESTS);
  }

  /**
   * GET /authorize. An unknown client or an unregistered redirect URI is a HarnessError for an
   * error page: redirecting there would make this an open redirector (RFC 6749 §4.1.2.1). Any
   * other problem goes back to the (now trusted) redirect URI.
   */
  async begin(params: Record<string, unknown>, browserKey: string): Promise<AuthorizeStep> {
    const clientId = single(params, 'client_id');
    const client = clientId.repeated ? undefined : await this.clients.find(clientId.value);
    if (!client) {
      const configured = this.clients.configured.list().map((c) => c.clientId);
      throw new HarnessError('OAUTH_CLIENT_UNKNOWN', clientId.value ? `no OAuth client ${clientId.value}` : 'client_id is missing', {
        expected: `a configured client (${configured.join(', ') || 'none'}) or one registered for an SP account (/sp/api/accounts/:id/oauth-clients)`,
        received: clientId.repeated ? 'client_id given more than once' : (clientId.value ?? 'no client_id'),
      });
    }
    const requested = single(params, 'redirect_uri');
    const redirectUri = requested.repeated ? undefined : this.clients.redirectUriFor(client, requested.value);
    if (redirectUri === undefined) {
      throw new HarnessError(
        'OAUTH_REDIRECT_URI',
        requested.value ? `${requested.value} is not a redirect URI of ${client.name}` : `redirect_uri is missing or repeated`,
        {
          expected: `a redirect URI registered for ${client.clientId}: ${client.redirectUris.join(', ')}`,
          received: requested.repeated ? 'redirect_uri given more than once' : (requested.value ?? 'no redirect_uri'),
        },
      );
    }
    const state = single(params, 'state');
    const fail = (error: AuthorizeError): AuthorizeStep => ({
      kind: 'redirect',
      url: redirectWith(redirectUri, { error: error.error, error_description: error.description, state: state.value }),
    });
    for (const name of ['response_type', 'state', 'scope', 'code_challenge', 'code_challenge_method']) {
      if (single(params, name).repeated) return fail({ error: 'invalid_request', description: `${name} is given more than once` });
    }
    const responseType = single(params, 'response_type').value;
    if (responseType === undefined) return fail({ error: 'invalid_request', description: 'response_type is missing' });
    if (responseType !== 'code') return fail({ error: 'unsupported_response_type', description: 'only response_type=code is supported' });
    if ((state.value?.length ?? 0) > MAX_STATE_LENGTH) {
      return fail({ error: 'invalid_request', description: `state is longer than ${MAX_STATE_LENGTH} characters` });
    }
    const challenge = single(params, 'code_challenge').value;
    const method = single(params, 'code_challenge_method').value;
    if (challenge === undefined && method !== undefined) {
      return fail({ error: 'invalid_request', description: 'code_challenge_method without code_challenge' });
    }
    if (challenge !== undefined) {
      if (method !== 'S256') return fail({ error: 'invalid_request', description: 'code_challenge_method must be S256 (transform algorithm not supported)' });
      if (!isCodeChallenge(challenge)) return fail({ error: 'invalid_request', description: 'code_challenge is not a base64url SHA-256 (43 characters)' });
    }

    const now = this.clock.now();
    const request: AuthorizationRequest = {
      id: randomBytes(24).toString('base64url'),
      csrfToken: randomBytes(24).toString('base64url'),
      browser: hashToken(browserKey),
      clientId: client.clientId,
      ...(client.registration !== undefined && { clientRegistration: client.registration }),
      redirectUri,
      redirectUriGiven: requested.value !== undefined,
      ...(state.value !== undefined && { state: state.value }),
      ...(challenge !== undefined && { codeChallenge: challenge }),
      scope: GRANTED_SCOPE,
      stage: 'sign-in',
      failedSignIns: 0,
      expiresAtMs: now + REQUEST_TTL_SEC * 1000,
    };
    await this.requests.add(request.id, request, request.expiresAtMs, now);
    return { kind: 'identify', ...this.pageBase(request, client) };
  }

  /**
   * POST /authorize/sign-in: the login alone shows the password step (with the extension field
   * for a phone number); login and password sign in and show the consent page.
   */
  async signIn(proof: FormProof, form: { login?: string; extension?: string; password?: string }): Promise<AuthorizeStep> {
    const { request, client } = await this.load(proof);
    const login = form.login?.trim();
    if (!login) return { kind: 'identify', ...this.pageBase(request, client) };
    const phone = isPhoneLogin(login);
    const extension = phone ? form.extension?.trim() || undefined : undefined;
    const passwordStep = (error?: HarnessError): AuthorizeStep => ({
      kind: 'password',
      ...this.pageBase(request, client),
      login,
      phone,
      ...(extension !== undefined && { extension }),
      ...(error && { error }),
    });
    if (form.password === undefined || form.password === '') return passwordStep();

    let user;
    try {
      user = await signInUser({ accounts: this.accounts, directory: this.directory }, login, extension, form.password);
      if (client.accountId !== undefined && user.accountId !== client.accountId) throw await this.otherAccount(client, client.accountId);
    } catch (err) {
      if (!(err instanceof HarnessError)) throw err;
      const failedSignIns = request.failedSignIns + (err.code === 'SP_BAD_CREDENTIALS' ? 1 : 0);
      if (failedSignIns >= MAX_FAILED_SIGN_INS) {
        await this.requests.delete(request.id);
        throw new HarnessError('OAUTH_REQUEST_EXPIRED', `${MAX_FAILED_SIGN_INS} wrong passwords: this authorization request is closed, start again from ${client.name}`);
      }
      await this.save({ ...request, stage: 'sign-in', failedSignIns });
      return passwordStep(err);
    }
    // A new CSRF token once signed in: a token seen before sign-in cannot approve anything.
    const signedIn: AuthorizationRequest = {
      ...request,
      stage: 'consent',
      userId: user.id,
      accountId: user.accountId,
      csrfToken: randomBytes(24).toString('base64url'),
    };
    await this.save(signedIn);
    const account = await this.accounts.get(user.accountId);
    return { kind: 'consent', ...this.pageBase(signedIn, client), email: user.email, accountName: account.name };
  }

  /** POST /authorize/consent: Authorize (role check, then the code) or Cancel. */
  async decide(proof: FormProof, decision: string | undefined): Promise<AuthorizeStep> {
    const { request, client } = await this.load(proof);
    if (request.stage !== 'consent' || request.userId === undefined || request.accountId === undefined) {
      throw new HarnessError('OAUTH_REQUEST_EXPIRED', 'this authorization request is not waiting for consent: sign in first', {
        expected: 'a signed-in authorization request',
        received: request.stage,
      });
    }
    if (decision === 'cancel') return this.finish(request, { error: 'access_denied', description: 'the user cancelled the authorization' });
    if (decision !== 'authorize') {
      throw new HarnessError('INPUT_INVALID', 'decision must be authorize or cancel', { received: decision ?? 'nothing' });
    }
    const user = await this.directory.get(request.accountId, request.userId);
    const account = await this.accounts.get(request.accountId);
    if (!ADMIN_ROLES.includes(user.role)) {
      await this.save({ ...request, stage: 'denied' });
      return {
        kind: 'not-admin',
        ...this.pageBase(request, client),
        email: user.email,
        accountName: account.name,
        role: user.role,
        error: new HarnessError('OAUTH_NOT_ADMIN', `${user.email} is not a User Admin or higher in ${account.name}`, {
          expected: 'role user-admin or super-admin',
          received: user.role,
        }),
      };
    }
    assertPlanIncludes(account, 'identity-management');
    if (user.status !== 'active') {
      throw new HarnessError('SP_USER_INACTIVE', `${user.email} is no longer active`, { expected: 'an active user', received: user.status });
    }
    // Single use: whoever takes the request first gets the code.
    if (!(await this.requests.take(request.id, this.clock.now()))) throw this.expired();
    const code = await this.codes.issue({
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      redirectUriGiven: request.redirectUriGiven,
      ...(request.codeChallenge !== undefined && { codeChallenge: request.codeChallenge }),
      accountId: user.accountId,
      userId: user.id,
      scope: request.scope,
      endpointId: newEndpointId(),
      ...(client.registration !== undefined && { clientRegistration: client.registration }),
    });
    return { kind: 'redirect', url: redirectWith(request.redirectUri, { code, state: request.state }) };
  }

  /** POST /authorize/return: back to the client from the administrator-permissions page. */
  async returnDenied(proof: FormProof): Promise<AuthorizeStep> {
    const { request } = await this.load(proof);
    if (request.stage !== 'denied') {
      throw new HarnessError('OAUTH_REQUEST_EXPIRED', 'this authorization request was not denied', { received: request.stage });
    }
    return this.finish(request, { error: 'access_denied', description: 'a User Admin or higher role is required to authorize' });
  }

  private async finish(request: AuthorizationRequest, error: AuthorizeError): Promise<AuthorizeStep> {
    if (!(await this.requests.take(request.id, this.clock.now()))) throw this.expired();
    return {
      kind: 'redirect',
      url: redirectWith(request.redirectUri, { error: error.error, error_description: error.description, state: request.state }),
    };
  }

  /** A client registered for one account is authorized by an admin of that account, nobody else. */
  private async otherAccount(client: OAuthClient, accountId: string): Promise<HarnessError> {
    const account = await this.accounts.get(accountId).catch(() => undefined);
    const name = account ? `${account.name} (${account.id})` : accountId;
    return new HarnessError('OAUTH_CLIENT_ACCOUNT', `${client.name} was registered for the account ${name}: sign in as a User Admin of that account`, {
      expected: `a user of ${name}`,
      received: 'a user of another account',
    });
  }

  private pageBase(request: AuthorizationRequest, client: OAuthClient): PageBase {
    return { requestId: request.id, csrfToken: request.csrfToken, clientName: client.name };
  }

  private async save(request: AuthorizationRequest): Promise<void> {
    await this.requests.set(request.id, request, request.expiresAtMs);
  }

  private expired(): HarnessError {
    return new HarnessError('OAUTH_REQUEST_EXPIRED', 'this authorization request is unknown, expired or finished: start again from the IdP', {
      expected: `an authorization request started less than ${REQUEST_TTL_SEC / 60} minutes ago`,
    });
  }

  /** The request a form belongs to, once its CSRF token and the browser cookie both match. */
  private async load(proof: FormProof): Promise<{ request: AuthorizationRequest; client: OAuthClient }> {
    if (!proof.csrfToken || !proof.requestId) {
      throw new HarnessError('OAUTH_CSRF', 'the form has no CSRF token', { expected: 'the csrf_token and request fields of the form' });
    }
    const request = await this.requests.get(proof.requestId, this.clock.now());
    if (!request) throw this.expired();
    if (!sameSecret(proof.csrfToken, request.csrfToken)) {
      throw new HarnessError('OAUTH_CSRF', 'the CSRF token does not belong to this authorization request');
    }
    if (!proof.browserKey || !sameSecret(hashToken(proof.browserKey), request.browser)) {
      throw new HarnessError('OAUTH_CSRF', 'this browser did not start the authorization request', {
        expected: 'the cookie set by /restapi/oauth/authorize',
        received: proof.browserKey ? 'another cookie' : 'no cookie',
      });
    }
    const client = await this.clients.find(request.clientId);
    // A client deleted (or registered again) while its request was open cannot finish it.
    if (!client || client.registration !== request.clientRegistration) throw this.expired();
    return { request, client };
  }
}
