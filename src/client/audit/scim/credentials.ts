// How the audit signs in to the SCIM server: a static bearer token (Entra's "Secret Token",
// Okta's "HTTP Header"), or OAuth 2.0 at a token URL (RFC 6749): a refresh token (what JumpCloud
// and Okta hold after their authorization-code sign-in at RingCentral; the newest one is kept,
// since refresh tokens rotate) or, without one, the client credentials grant. The client
// authenticates with HTTP Basic (RFC 6749 §2.3.1).
import type { TokenSource } from '../../../provisioning/scim-http.js';
import { describeFetchFailure, PeerBodyError, readPeerBody } from '../../../peer-body.js';
import { AuditError } from '../errors.js';

export interface OAuthCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** With it, the refresh_token grant; without, client_credentials. */
  refreshToken?: string;
  scope?: string;
}

export type ScimCredentials = { token: string } | { oauth: OAuthCredentials };

const TOKEN_ANSWER_MAX_BYTES = 64 * 1024;
const TOKEN_TIMEOUT_MS = 20_000;

export function staticToken(token: string): TokenSource {
  return { accessToken: () => Promise.resolve(token), refresh: () => Promise.resolve(token) };
}

export function oauthTokens(creds: OAuthCredentials, fetchImpl: typeof fetch, nowMs: () => number): TokenSource {
  let current: { token: string; expiresAt: number } | undefined;
  let refreshToken = creds.refreshToken;
  const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
  const fetchToken = async (): Promise<string> => {
    const form = new URLSearchParams(
      refreshToken === undefined ? { grant_type: 'client_credentials' } : { grant_type: 'refresh_token', refresh_token: refreshToken },
    );
    if (creds.scope) form.set('scope', creds.scope);
    const refused = (why: string): AuditError => new AuditError('AUDIT_SCIM_AUTH', `the token endpoint ${creds.tokenUrl} ${why}`);
    let res: Response;
    try {
      res = await fetchImpl(creds.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${enc(creds.clientId)}:${enc(creds.clientSecret)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      });
    } catch (err) {
      throw new AuditError('AUDIT_SCIM_UNREACHABLE', `the token endpoint ${creds.tokenUrl} does not answer: ${describeFetchFailure(err, TOKEN_TIMEOUT_MS)}`);
    }
    let body: Record<string, unknown> = {};
    try {
      const text = (await readPeerBody(res, { maxBytes: TOKEN_ANSWER_MAX_BYTES, timeoutMs: TOKEN_TIMEOUT_MS })).toString('utf8');
      const parsed = JSON.parse(text) as unknown;
      if (parsed !== null && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch (err) {
      if (err instanceof PeerBodyError) throw refused(err.message);
      // not JSON: reported below by what is missing
    }
    if (!res.ok || typeof body.access_token !== 'string') {
      const said = typeof body.error === 'string' ? ` (${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''})` : '';
      throw refused(`refused the ${refreshToken === undefined ? 'client_credentials' : 'refresh_token'} grant: HTTP ${res.status}${said}; check the client id, secret and refresh token`);
    }
    if (typeof body.refresh_token === 'string') refreshToken = body.refresh_token;
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 3600_000;
    current = { token: body.access_token, expiresAt: nowMs() + lifetime - 30_000 };
    return body.access_token;
  };
  return {
    accessToken: async () => (current && current.expiresAt > nowMs() ? current.token : fetchToken()),
    refresh: fetchToken,
  };
}
