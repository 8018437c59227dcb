// OAuth 2.0 protocol errors, answered with the RFC's own bodies rather than the harness JSON:
// RFC 6749 §5.2 at the token endpoint, §4.1.2.1 as redirect parameters from the authorization
// endpoint (only once the client and its redirect URI are known to be genuine).
import type { ErrorCode, HarnessError } from '../../errors.js';

export const TOKEN_ERROR_CODES = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope'] as const;

export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];

export type AuthorizeErrorCode = 'invalid_request' | 'unsupported_response_type' | 'invalid_scope' | 'access_denied';

/** The RFC 6749 §5.2 `error` of each harness code the token and revocation endpoints answer with. */
const TOKEN_ERROR_OF: Partial<Record<ErrorCode, TokenErrorCode>> = {
  OAUTH_INVALID_REQUEST: 'invalid_request',
  OAUTH_METHOD_NOT_ALLOWED: 'invalid_request',
  OAUTH_INVALID_CLIENT: 'invalid_client',
  OAUTH_INVALID_GRANT: 'invalid_grant',
  OAUTH_UNAUTHORIZED_CLIENT: 'unauthorized_client',
  OAUTH_UNSUPPORTED_GRANT_TYPE: 'unsupported_grant_type',
  OAUTH_INVALID_SCOPE: 'invalid_scope',
};

export interface TokenErrorBody {
  error: TokenErrorCode;
  error_description: string;
}

/** The RFC 6749 §5.2 body of a token endpoint error; undefined for any other error. */
export function tokenErrorBodyOf(err: HarnessError): TokenErrorBody | undefined {
  const error = TOKEN_ERROR_OF[err.code];
  return error && { error, error_description: err.message };
}

/** An error sent back to the client's redirect URI (RFC 6749 §4.1.2.1). */
export interface AuthorizeError {
  error: AuthorizeErrorCode;
  description: string;
}
