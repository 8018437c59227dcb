import assert from 'node:assert/strict';
import { UsageError } from '../../src/cli/command.js';
import { adminToken, harnessUrl } from '../../src/cli/harness-options.js';

describe('the harness options of the client commands', () => {
  const cases: [string, { url?: string; harness?: string }, NodeJS.ProcessEnv, string][] = [
    ['the default with neither flag nor environment', {}, {}, 'http://localhost:8400'],
    ['an empty $SSO_HARNESS_URL as unset', {}, { SSO_HARNESS_URL: '' }, 'http://localhost:8400'],
    ['$SSO_HARNESS_URL, without its trailing slash', {}, { SSO_HARNESS_URL: 'https://sso.example.test/' }, 'https://sso.example.test'],
    ['--url over $SSO_HARNESS_URL', { url: 'http://127.0.0.1:9000' }, { SSO_HARNESS_URL: 'https://sso.example.test' }, 'http://127.0.0.1:9000'],
    ['--harness as another name for --url', { harness: 'http://h.test:1' }, { SSO_HARNESS_URL: 'https://sso.example.test' }, 'http://h.test:1'],
    ['--url and --harness when they agree', { url: 'http://h.test:1', harness: 'http://h.test:1' }, {}, 'http://h.test:1'],
  ];
  for (const [what, values, env, expected] of cases) {
    it(`takes ${what}`, () => {
      assert.equal(harnessUrl(values, env), expected);
    });
  }

  const refusals: [string, { url?: string; harness?: string }, NodeJS.ProcessEnv, RegExp][] = [
    ['--url that is not a URL', { url: 'localhost:8400' }, {}, /^--url must be an http\(s\) URL such as http:\/\/localhost:8400, not localhost:8400$/],
    ['$SSO_HARNESS_URL of another scheme', {}, { SSO_HARNESS_URL: 'ftp://h.test' }, /^SSO_HARNESS_URL must be an http\(s\) URL/],
    ['--url and --harness that differ', { url: 'http://a.test', harness: 'http://b.test' }, {}, /^--harness is another name for --url, and they differ \(http:\/\/b\.test, http:\/\/a\.test\): give one$/],
  ];
  for (const [what, values, env, message] of refusals) {
    it(`refuses ${what}, naming where the value came from`, () => {
      assert.throws(() => harnessUrl(values, env), (err: Error) => err instanceof UsageError && message.test(err.message));
    });
  }

  it('takes the admin token from --token over $SSO_HARNESS_ADMIN_TOKEN, and asks for one when neither is set', () => {
    assert.equal(adminToken({ token: 'from-the-flag-0123456789' }, { SSO_HARNESS_ADMIN_TOKEN: 'from-the-env-0123456789' }), 'from-the-flag-0123456789');
    assert.equal(adminToken({}, { SSO_HARNESS_ADMIN_TOKEN: 'from-the-env-0123456789' }), 'from-the-env-0123456789');
    assert.throws(() => adminToken({}, { SSO_HARNESS_ADMIN_TOKEN: '' }), /^Error: no admin token: give --token or set SSO_HARNESS_ADMIN_TOKEN$/);
  });
});
