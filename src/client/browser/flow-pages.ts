// Reads the pages of a SAML browser flow the way a browser acts on them: a redirect to follow,
// a form that posts itself (SAMLRequest to an IdP, SAMLResponse to an ACS), an IdP login form,
// or a page that ends the walk (with the error code it shows, if any).
import { decodeEntities, readAutoPostForm, type AutoPostForm } from '../../saml/post-form-page.js';
import { redirectTarget } from './browser-session.js';

export type FlowStep =
  | { kind: 'redirect'; url: string }
  | { kind: 'auto-post'; form: AutoPostForm }
  | { kind: 'login-form'; action: string; pending?: string; text: string }
  | { kind: 'page'; status: number; text: string };

/** The harness IdP's sign-in form (`login`, `password`, hidden `pending`). */
export function readLoginForm(htmlText: string, baseUrl: string): { action: string; pending?: string } | undefined {
  if (!/action="\/idp\/login"/.test(htmlText)) return undefined;
  const pending = /name="pending" value="([^"]*)"/.exec(htmlText)?.[1];
  return { action: new URL('/idp/login', baseUrl).toString(), ...(pending && { pending: decodeEntities(pending) }) };
}

/** The error a page reports: the harness's `<code>CODE</code>` page or form error, or a JSON `{ "error" }` body. */
export function readPageError(text: string): { code?: string; message?: string } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const body = JSON.parse(trimmed) as { error?: unknown; message?: unknown };
      return {
        ...(typeof body.error === 'string' && { code: body.error }),
        ...(typeof body.message === 'string' && { message: body.message }),
      };
    } catch {
      return {};
    }
  }
  const code = /<code>([A-Z][A-Z0-9_]+)<\/code>/.exec(text)?.[1];
  const message = (/<\/code><\/strong>: ([^<]*)</.exec(text) ?? /<p class="error">([^<]*)</.exec(text))?.[1];
  return { ...(code && { code }), ...(message && { message: decodeEntities(message) }) };
}

/** What a browser does next with this answer. */
export async function readStep(res: Response, url: string): Promise<FlowStep> {
  const target = redirectTarget(res, url);
  if (target) return { kind: 'redirect', url: target };
  const text = await res.text();
  if (res.status === 200) {
    const form = readAutoPostForm(text, url);
    if (form) return { kind: 'auto-post', form };
    const login = readLoginForm(text, url);
    if (login) return { kind: 'login-form', ...login, text };
  }
  return { kind: 'page', status: res.status, text };
}
