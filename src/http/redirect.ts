// The redirects of the login path (SP-initiated start, the ACS answer): a status and a Location,
// without Express's res.redirect, which negotiates an HTML or text body from the Accept header on
// every call (browsers and HTTP clients follow the Location; no one reads that body).
import type { Response } from 'express';

export function redirectTo(res: Response, status: 302 | 303, url: string): void {
  res.status(status).location(url).set('Content-Length', '0').end();
}
