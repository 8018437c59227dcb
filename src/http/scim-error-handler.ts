// The SCIM router's one error exit: every failure, an unexpected one included, leaves as an
// RFC 7644 error body in application/scim+json, with the headers the error carries.
import type { ErrorRequestHandler } from 'express';
import { HarnessError } from '../errors.js';
import { scimAnswerOf, scimFailureBody, type ScimAnswer } from '../scim/errors.js';
import { SCIM_MEDIA_TYPE } from '../scim-protocol/urn.js';
import { logUnexpected } from './error-handler.js';

/** What express's JSON parser throws, in SCIM's words (the body it refused, not the server, is at fault). */
function fromBodyParser(err: unknown): HarnessError | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new HarnessError('BODY_TOO_LARGE', 'the request body is larger than the SCIM API accepts (1 MB)');
  if (type === 'entity.parse.failed') return new HarnessError('SCIM_INVALID_SYNTAX', 'the request body is not valid JSON');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new HarnessError('SCIM_MEDIA_TYPE', 'the request body must be UTF-8 JSON (application/scim+json)');
  }
  return undefined;
}

const UNEXPECTED: ScimAnswer = { status: 500, body: scimFailureBody(500, 'unexpected error in the SCIM service; the harness log has the details') };

export function scimFailureHandler(log: (line: string) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = err instanceof HarnessError ? err : fromBodyParser(err);
    const answer = error && scimAnswerOf(error);
    if (!answer) logUnexpected(log, req, err);
    if (res.headersSent) return;
    if (answer && error) res.set(error.headers);
    const { status, body } = answer ?? UNEXPECTED;
    res.status(status).type(SCIM_MEDIA_TYPE).send(JSON.stringify(body));
  };
}
