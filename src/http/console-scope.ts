// Which IdP application and SP account a traced flow went through, read from the endpoints its
// messages were sent to: the IdP's SSO URL names the application, and the SP account is the one
// whose imported IdP metadata lists that SSO URL. Used to link an explanation to the console page
// that holds the setting to change; a flow that says neither links to the consoles' lists.
import type { IdpApplications } from '../idp/applications.js';
import type { SpAccounts } from '../sp/accounts.js';
import type { TraceEntry } from '../trace/trace-log.js';
import type { ConsoleScope } from './views/setting-link.js';

export interface ConsoleScopeSource {
  idp: { apps: Pick<IdpApplications, 'list' | 'endpoints'> };
  sp: { accounts: Pick<SpAccounts, 'list'> };
}

export async function consoleScope(source: ConsoleScopeSource, entries: readonly TraceEntry[]): Promise<ConsoleScope> {
  // Only the AuthnRequest hops are sent to the IdP's SSO URL (a Response goes to the SP's ACS).
  const ssoUrls = new Set(entries.filter((e) => e.kind === 'AuthnRequest' && e.endpoint !== undefined).map((e) => e.endpoint as string));
  if (ssoUrls.size === 0) return {};
  const app = (await source.idp.apps.list()).find((a) => ssoUrls.has(source.idp.apps.endpoints(a).ssoUrl));
  const spSent = entries.find((e) => e.side === 'sp' && e.kind === 'AuthnRequest' && e.direction === 'sent')?.endpoint;
  const account = spSent === undefined ? undefined : (await source.sp.accounts.list()).find((a) => a.sso.idp?.ssoServices.some((s) => s.location === spSent));
  return { ...(app && { idpApp: app.id }), ...(account && { spAccount: account.id }) };
}
