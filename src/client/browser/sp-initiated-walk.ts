// Walks an SP-initiated login as a browser would: follow redirects, submit the forms that post
// themselves, sign in at the IdP login form once, until the walk reaches a page it cannot act on,
// a URL the caller waits for, or (when asked to stop there) the IdP's SAMLResponse form.
import type { BrowserSession } from './browser-session.js';
import type { AutoPostForm } from '../../saml/post-form-page.js';
import { readStep } from './flow-pages.js';

export interface IdpCredentials {
  /** Login name typed at the IdP (email or username). */
  login: string;
  password: string;
}

export interface WalkOptions {
  credentials: IdpCredentials;
  maxHops: number;
  /** Stop before posting the SAMLResponse to the ACS (the audit posts it itself). */
  stopAtResponse?: boolean;
  /** Stop when a redirect leads here, without requesting it. */
  stopAt?: (url: string) => boolean;
}

export type WalkEnd =
  | { kind: 'saml-response'; form: AutoPostForm }
  | { kind: 'reached'; url: string }
  | { kind: 'page'; url: string; status: number; text: string }
  | { kind: 'too-many-hops' };

/** Continues from `res`, the answer to `url`. */
export async function walkFlow(browser: BrowserSession, res: Response, url: string, opts: WalkOptions): Promise<WalkEnd> {
  let passwordSent = false;
  for (let i = 0; i < opts.maxHops; i++) {
    const step = await readStep(res, url);
    switch (step.kind) {
      case 'redirect':
        url = step.url;
        if (opts.stopAt?.(url)) return { kind: 'reached', url };
        res = await browser.send('GET', url);
        continue;
      case 'auto-post':
        if (opts.stopAtResponse && step.form.fields.SAMLResponse !== undefined) return { kind: 'saml-response', form: step.form };
        url = step.form.action;
        res = await browser.send('POST', url, step.form.fields);
        continue;
      case 'login-form':
        if (passwordSent) return { kind: 'page', url, status: 200, text: step.text };
        passwordSent = true;
        url = step.action;
        res = await browser.send('POST', url, {
          login: opts.credentials.login,
          password: opts.credentials.password,
          ...(step.pending && { pending: step.pending }),
        });
        continue;
      case 'page':
        return { kind: 'page', url, status: step.status, text: step.text };
    }
  }
  return { kind: 'too-many-hops' };
}
