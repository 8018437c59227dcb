// The IdP's side of the SP's OAuth 2.0 authorization code flow (RFC 6749 + PKCE, RFC 7636):
// the authorize URL (state and code verifier kept server-side, single use), the code exchange,
// and the refresh when the access token expires (one refresh at a time per application, since
// refresh tokens rotate). Client authentication is HTTP Basic with the IdP's own client.
import { createHash, randomBytes } from 'node:crypto';
import { HarnessError, type ErrorCode } from '../errors.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import { describeFetchFailure, PeerBodyError, readPeerBody } from '../peer-body.js';
import type { IdmFlavor, IdmState, IdmTokens } from '../idp/identity-management.js';
import { MAP, expiringMap } from '../store/tables.js';
import type { ExpiringMap, Store } from '../store/types.js';
import type { TokenSource } from './scim-http.js';

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface PendingAuthorization {
  appId: string;
  codeVerifier: string;
  redirectUri: string;
  flavor: IdmFlavor;
  apiBaseUrl: string;
}

export const IDP_PROVISIONING_AUTHORIZATIONS = expiringMap<PendingAuthorization>(MAP.idpProvisioningAuthorizations);

const PENDING_TTL_MS = 10 * 60_000;
/** Refresh a little early, so a token does not expire on its way to the SP. */
const EXPIRY_MARGIN_MS = 30_000;

/** A token answer is a few hundred bytes of JSON. */
const TOKEN_ANSWER_MAX_BYTES = 64 * 1024;

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Basic credentials: each part form-encoded first (RFC 6749 §2.3.1). */
function basicAuth({ clientId, clientSecret }: OAuthClientCredentials): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

export class IdmAuthorization {
  private readonly pending: ExpiringMap<PendingAuthorization>;
  private readonly refreshing = new Map<string, Promise<string>>();

  constructor(
    private readonly idp: IdentityProvider,
    store: Store,
    private readonly client: OAuthClientCredentials,
    private readonly fetchImpl: typeof fetch,
    private readonly timeoutMs: number,
  ) {
    this.pending = store.expiring(IDP_PROVISIONING_AUTHORIZATIONS);
  }

  private now(): number {
    return this.idp.clock.now();
  }

  /** "configure": a fresh state and PKCE verifier, and the SP's authorize URL to send the browser to. */
  async start(appId: string, opts: { flavor: IdmFlavor; apiBaseUrl: string }): Promise<{ authorizeUrl: string; state: IdmState }> {
    const stateParam = randomBytes(32).toString('base64url');
    const codeVerifier = randomBytes(48).toString('base64url');
    const redirectUri = this.idp.idmRedirectUri(appId);
    await this.pending.set(stateParam, { appId, codeVerifier, redirectUri, ...opts }, this.now() + PENDING_TTL_MS);
    const state = await this.idp.idm.update(appId, ({ error: _e, tokens: _t, verifiedAt: _v, ...current }) => ({
      ...current,
      ...opts,
      status: 'authorizing',
    }));
    const url = new URL(`${opts.apiBaseUrl}/restapi/oauth/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.client.clientId,
      redirect_uri: redirectUri,
      state: stateParam,
      code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { authorizeUrl: url.toString(), state };
  }

  /**
   * The browser came back: checks the state (single use, this application), then exchanges the
   * code. An SP refusal (`error=access_denied`) or a failed exchange marks the integration failed.
   */
  async complete(appId: string, params: Record<string, string | undefined>): Promise<IdmState> {
    const pending = params.state ? await this.pending.take(params.state, this.now()) : undefined;
    if (!pending || pending.appId !== appId) {
      throw new HarnessError('IDM_STATE_INVALID', 'this authorization callback does not match a configure started here, or it expired or was used', {
        expected: 'the state of a pending "configure" of this application (10 minutes, single use)',
        received: params.state ? 'an unknown state' : 'no state',
      });
    }
    if (params.error) {
      const detail = params.error_description ? `${params.error}: ${params.error_description}` : params.error;
      return this.fail(appId, 'IDM_AUTHORIZATION_DENIED', 'the SP did not authorize Identity Management', detail);
    }
    if (!params.code) return this.fail(appId, 'IDM_TOKEN_EXCHANGE', 'the SP sent no authorization code', 'no code parameter');
    const tokens = await this.tokenRequest(appId, pending.apiBaseUrl, {
      grant_type: 'authorization_code',
      code: params.code,
      redirect_uri: pending.redirectUri,
      code_verifier: pending.codeVerifier,
    });
    return this.idp.idm.update(appId, (current) => ({ ...current, tokens }));
  }

  /** Marks the integration failed (tokens dropped) and throws the reason. */
  async fail(appId: string, code: ErrorCode, message: string, detail: string): Promise<never> {
    await this.idp.idm.update(appId, ({ tokens: _t, ...current }) => ({ ...current, status: 'failed', error: { code, message, detail } }));
    throw new HarnessError(code, `${message}: ${detail}`, { received: detail });
  }

  /** Bearer tokens for one application's SCIM calls, refreshed when expired or refused. */
  tokenSource(appId: string): TokenSource {
    return {
      accessToken: async () => {
        const { tokens } = await this.idp.idm.get(appId);
        if (!tokens) throw new HarnessError('IDM_NOT_VERIFIED', `application ${appId} has no Identity Management authorization`);
        return tokens.accessExpiresAt - EXPIRY_MARGIN_MS > this.now() ? tokens.accessToken : this.refresh(appId);
      },
      refresh: () => this.refresh(appId),
    };
  }

  private refresh(appId: string): Promise<string> {
    const inFlight = this.refreshing.get(appId);
    if (inFlight) return inFlight;
    const run = (async () => {
      const state = await this.idp.idm.get(appId);
      const refreshToken = state.tokens?.refreshToken;
      if (!refreshToken || (state.tokens?.refreshExpiresAt ?? Infinity) <= this.now()) {
        return this.fail(appId, 'IDM_TOKEN_EXCHANGE', 'the authorization expired', 'no usable refresh token: configure Identity Management again');
      }
      const tokens = await this.tokenRequest(appId, state.apiBaseUrl, { grant_type: 'refresh_token', refresh_token: refreshToken });
      await this.idp.idm.update(appId, (current) => ({ ...current, tokens }));
      return tokens.accessToken;
    })().finally(() => this.refreshing.delete(appId));
    this.refreshing.set(appId, run);
    return run;
  }

  private async tokenRequest(appId: string, apiBaseUrl: string, form: Record<string, string>): Promise<IdmTokens> {
    const url = `${apiBaseUrl}/restapi/oauth/token`;
    let status = 0;
    let body: Record<string, unknown> = {};
    try {
      const res = await this.fetchImpl(url, {
        method: 'POST',
        headers: { authorization: basicAuth(this.client), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      // Read under the same timeout: a token endpoint that trickles its answer is a failure of its own, not an empty answer.
      body = parseJsonObject((await readPeerBody(res, { maxBytes: TOKEN_ANSWER_MAX_BYTES, timeoutMs: this.timeoutMs })).toString('utf8'));
    } catch (err) {
      if (err instanceof PeerBodyError) return this.fail(appId, 'IDM_TOKEN_EXCHANGE', `${url} did not send a whole answer`, err.message);
      return this.fail(appId, 'IDM_TOKEN_EXCHANGE', `${url} could not be reached`, describeFetchFailure(err, this.timeoutMs));
    }
    const accessToken = body.access_token;
    if (status !== 200 || typeof accessToken !== 'string') {
      const said = [body.error, body.error_description].filter((v) => typeof v === 'string').join(': ');
      return this.fail(appId, 'IDM_TOKEN_EXCHANGE', `the SP's token endpoint refused the ${form.grant_type} grant`, `HTTP ${status}${said ? ` ${said}` : ''}`);
    }
    const now = this.now();
    const seconds = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);
    return {
      accessToken,
      tokenType: typeof body.token_type === 'string' ? body.token_type : 'bearer',
      accessExpiresAt: now + seconds(body.expires_in, 3600) * 1000,
      ...(typeof body.refresh_token === 'string' && { refreshToken: body.refresh_token }),
      ...(typeof body.refresh_token_expires_in === 'number' && { refreshExpiresAt: now + seconds(body.refresh_token_expires_in, 0) * 1000 }),
    };
  }
}
