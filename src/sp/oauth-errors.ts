// OAuth 2.0 protocol errors, answered with the RFC's own bodies rather than the harness JSON:
// RFC 6749 §5.2 at the token endpoint, §4.1.2.1 as redirect parameters from the authorization
// endpoint (only once the client and its redirect URI are known to be genuine).

export const TOKEN_ERROR_CODES = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope'] as const;

export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];

export type AuthorizeErrorCode = 'invalid_request' | 'unsupported_response_type' | 'invalid_scope' | 'access_denied';

/** An error of the token (and revocation) endpoint; `invalid_client` is a 401 with WWW-Authenticate. */
export class OAuthTokenError extends Error {
  readonly status: number;

  constructor(
    readonly error: TokenErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthTokenError';
    this.status = error === 'invalid_client' ? 401 : 400;
  }

  toJSON(): { error: TokenErrorCode; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

/** An error sent back to the client's redirect URI (RFC 6749 §4.1.2.1). */
export interface AuthorizeError {
  error: AuthorizeErrorCode;
  description: string;
}
