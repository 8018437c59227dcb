// Check. The response is posted by the browser that started the login (login CSRF): the SP
// keeps, with each outstanding AuthnRequest, the hash of a nonce it gave that browser in a cookie.
// Without this, a response for a login browser A started could be posted from browser B, which
// would then hold A's session; and an attacker could make a victim's browser post the attacker's
// own response (an auto-submitting form) and sign the victim in to the attacker's account.
// Unsolicited responses answer no request and are not bound (in-response-to decides whether they
// are allowed at all). Runs after in-response-to, which found the request; the SP leaves a request
// of another browser in place (a response from the wrong browser does not spend the login of the
// right one), while the response itself is spent, as its assertion ID already is (replay).
import { matchesLoginNonce } from '../../crypto/login-binding.js';
import { HarnessError } from '../../errors.js';
import type { Check } from './types.js';

export const browserBinding: Check = {
  id: 'browser-binding',
  title: 'The response is posted by the browser that started the login (login CSRF)',
  run(ctx) {
    const request = ctx.result.request;
    if (!request) return 'unsolicited: no login in progress to bind';
    const browser = ctx.expect.browser;
    if (!browser) return 'not checked: this caller sees no browser';
    const expected = `the login cookie of the browser that started login ${request.id}`;
    if (request.browserHash === undefined) {
      throw new HarnessError('SP_LOGIN_OTHER_BROWSER', `login ${request.id} is bound to no browser`, {
        expected,
        received: 'a request kept without a browser binding',
      });
    }
    if (browser.nonces.length === 0) {
      throw new HarnessError('SP_LOGIN_OTHER_BROWSER', `the browser that posted the response for login ${request.id} sent no login cookie`, {
        expected,
        received:
          'no login cookie (another browser, or one that dropped the cookie: over plain HTTP on a host other than localhost ' +
          'browsers refuse the SameSite=None cookie a cross-site IdP POST needs; serve the SP over HTTPS)',
      });
    }
    if (!matchesLoginNonce(request.browserHash, browser.nonces)) {
      throw new HarnessError('SP_LOGIN_OTHER_BROWSER', `the response for login ${request.id} was posted from another browser`, {
        expected,
        received: 'a login cookie of another browser',
      });
    }
    return `posted by the browser that started login ${request.id}`;
  },
};
