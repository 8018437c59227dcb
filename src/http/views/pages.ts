// The server-rendered pages of both sides. Forms work without JavaScript; the only script is
// the auto-post of the SAML POST binding, allowed by the page's CSP nonce.
import type { HarnessError } from '../../errors.js';
import type { CheckVerdict } from '../../saml/validate/types.js';
import { html, page, SafeHtml } from './html.js';

export function autoPostPage(action: string, fields: Record<string, string | undefined>, nonce: string, what: 'in' | 'out' = 'in'): string {
  const inputs = Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return page(
    what === 'in' ? 'Signing you in' : 'Signing you out',
    html`<form id="saml-post" method="post" action="${action}">${inputs}
<h1>${what === 'in' ? 'Signing you in to the application…' : 'Signing you out of the applications…'}</h1>
<noscript><p>JavaScript is off: press the button to continue.</p><button type="submit">Continue</button></noscript>
</form><script nonce="${nonce}">document.getElementById('saml-post').submit()</script>`,
  );
}

export function checksTable(checks: readonly CheckVerdict[]): SafeHtml {
  if (checks.length === 0) return html``;
  return html`<h2>Checks</h2><table><tr><th>check</th><th>verdict</th><th>detail</th></tr>${checks.map(
    (c) => html`<tr><td><code>${c.check}</code><br><small>${c.title}</small></td><td class="${c.verdict === 'pass' ? 'ok' : c.verdict}">${c.verdict}</td><td>${c.detail}${c.code ? html` <code>${c.code}</code>` : ''}</td></tr>`,
  )}</table>`;
}

export function errorPage(err: HarnessError, checks: readonly CheckVerdict[] = [], heading?: string): string {
  const d = err.details;
  return page(
    heading ?? err.title,
    html`<h1>${heading ?? err.title}</h1>
<div class="error"><p><strong><code>${err.code}</code></strong>: ${err.message}</p>
${d.expected !== undefined ? html`<p>Expected: ${d.expected}</p>` : ''}
${d.received !== undefined ? html`<p>Received: ${d.received}</p>` : ''}
${d.setting !== undefined ? html`<p>What to change: <strong>${d.setting}</strong> on the ${d.side === 'idp' ? 'IdP' : d.side === 'sp' ? 'SP' : 'harness'} side.</p>` : ''}
${err.tracePath !== undefined ? html`<p><a href="${err.tracePath}">See the trace of this login</a> (every message, decoded, with each check's verdict; admin sign-in).</p>` : ''}
</div>${checksTable(checks)}`,
  );
}

export interface ScenarioChoice {
  id: string;
  title: string;
  row?: number;
}

/** The testers' "response options": which response this login gets. */
function scenarioSelect(choices: readonly ScenarioChoice[], selected: string | undefined): SafeHtml {
  return html`<details${selected && selected !== 'valid' ? html` open` : ''}><summary>Response options (for testers)</summary>
<label for="scenario">Send this response</label><select id="scenario" name="scenario">${choices.map(
    (c) => html`<option value="${c.id}"${c.id === selected ? html` selected` : ''}>${c.id}${c.row ? ` (row ${c.row})` : ''}: ${c.title}</option>`,
  )}</select></details>`;
}

export function idpLoginPage(opts: {
  pending?: string;
  appLabel?: string;
  error?: string;
  login?: string;
  scenarios?: readonly ScenarioChoice[];
  scenario?: string;
}): string {
  return page(
    'Sign in',
    html`<h1>Sign in${opts.appLabel ? html` to ${opts.appLabel}` : ''}</h1>
${opts.error ? html`<p class="error">${opts.error}</p>` : ''}
<form method="post" action="/idp/login">
${opts.pending ? html`<input type="hidden" name="pending" value="${opts.pending}">` : ''}
<label for="login">Email or username</label><input id="login" name="login" autocomplete="username" value="${opts.login ?? ''}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
${opts.pending && opts.scenarios ? scenarioSelect(opts.scenarios, opts.scenario) : ''}
<button type="submit">Sign in</button></form>`,
    { side: 'idp' },
  );
}

/** A portal tile: SP-initiated (a link to the SP's login URL) or IdP-initiated (a form that posts to `launch`). */
export interface PortalTile {
  label: string;
  loginUrl?: string;
  launch?: string;
}

const portalTile = (a: PortalTile): SafeHtml =>
  a.launch
    ? html`<li><form class="inline" method="post" action="${a.launch}"><button type="submit">${a.label}</button></form></li>`
    : html`<li>${a.loginUrl ? html`<a href="${a.loginUrl}">${a.label}</a>` : a.label}</li>`;

export function idpPortalPage(email: string, apps: PortalTile[]): string {
  return page(
    'User portal',
    html`<h1>Your applications</h1><p>Signed in as <strong>${email}</strong>.</p>
<ul>${apps.map(portalTile)}</ul>
${apps.length === 0 ? html`<p>No applications are bound to your groups yet.</p>` : ''}
<form method="post" action="/idp/logout"><button type="submit">Sign out</button></form>`,
    { side: 'idp' },
  );
}

/** The end of a Single Logout started at the IdP portal: what each SP answered. */
export function idpLoggedOutPage(results: readonly { label: string; outcome: string; detail?: string }[]): string {
  const words: Record<string, string> = { 'logged-out': 'signed out', failed: 'did not confirm', 'no-endpoint': 'no Single Logout (session left as it is)' };
  return page(
    'Signed out',
    html`<h1>You are signed out</h1><p>The IdP session has ended.</p>
${results.length > 0 ? html`<table><tr><th>application</th><th>outcome</th><th>detail</th></tr>${results.map(
      (r) => html`<tr><td>${r.label}</td><td class="${r.outcome === 'logged-out' ? 'ok' : 'fail'}">${words[r.outcome] ?? r.outcome}</td><td>${r.detail ?? ''}</td></tr>`,
    )}</table>` : html`<p>No application had a session to end.</p>`}
<p><a href="/idp/login">Sign in again</a></p>`,
    { side: 'idp' },
  );
}

/** The SP's page after Single Logout (or a local sign-out). */
export function spLoggedOutPage(detail: string): string {
  return page('Signed out', html`<h1>You are signed out</h1><p>${detail}</p><p><a href="/sp/login">Sign in again</a></p>`, { side: 'sp' });
}

/** `forward`: a link to where the refusal can be put right (e.g. the SP console to add the user). */
export function spLoginPage(opts: { error?: string; email?: string; forward?: { href: string; text: string } } = {}): string {
  return page(
    'Sign in',
    html`<h1>Sign in</h1>${opts.error ? html`<p class="error">${opts.error}${opts.forward ? html` <a href="${opts.forward.href}">${opts.forward.text}</a>` : ''}</p>` : ''}
<form method="get" action="/sp/login"><label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" value="${opts.email ?? ''}" required>
<button type="submit">Next</button></form>
<p><a href="/sp/login/password">Sign in with a password</a></p>`,
    { side: 'sp' },
  );
}

export function spPasswordPage(opts: { error?: string; email?: string } = {}): string {
  return page(
    'Sign in with password',
    html`<h1>Sign in with your password</h1>${opts.error ? html`<p class="error">${opts.error}</p>` : ''}
<form method="post" action="/sp/login/password"><label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" value="${opts.email ?? ''}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`,
    { side: 'sp' },
  );
}

export function spHomePage(s: { email: string; accountName: string; via: string; nameId?: string; nameIdFormat?: string; attributes?: Record<string, string[]> }): string {
  const attrs = Object.entries(s.attributes ?? {});
  return page(
    'Home',
    html`<h1>Welcome</h1><p>Signed in to <strong>${s.accountName}</strong> as <strong id="email">${s.email}</strong> (${s.via === 'sso' ? 'SSO' : 'password'}).</p>
${s.nameId !== undefined ? html`<p>NameID: <code id="nameid">${s.nameId}</code> <small>${s.nameIdFormat ?? ''}</small></p>` : ''}
${attrs.length > 0 ? html`<table><tr><th>attribute</th><th>values</th></tr>${attrs.map(([k, v]) => html`<tr><td>${k}</td><td>${v.join(', ')}</td></tr>`)}</table>` : ''}
<form method="post" action="/sp/logout"><button type="submit">Sign out</button></form>`,
    { side: 'sp' },
  );
}
