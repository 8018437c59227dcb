// Where a failed login's "setting to change" is set: the console page of the IdP application or
// the SP account the login went through (or the console's list when the trace does not say which),
// so the reader of an explanation goes there in one click instead of searching two consoles.
import { ERROR_CODES, type ErrorCode, type ErrorSpec } from '../../error-codes.js';
import { html, type SafeHtml } from './html.js';

/** The IdP application and SP account a flow went through, as far as its trace tells. */
export interface ConsoleScope {
  idpApp?: string;
  spAccount?: string;
}


/** Settings named by their configuration key (`idp.clockSkewSec`) are set at start-up, not in a console. */
const CONFIG_KEY = /^(idp|sp)\.[A-Za-z]/;

/** The console page to change `code`'s setting on, with its link text; undefined when no page has it. */
export function settingPage(code: string, scope: ConsoleScope): { href: string; label: string } | undefined {
  if (!Object.hasOwn(ERROR_CODES, code)) return undefined;
  const spec: ErrorSpec = ERROR_CODES[code as ErrorCode];
  if (spec.setting === undefined || CONFIG_KEY.test(spec.setting)) return undefined;
  if (spec.side === 'idp') {
    return scope.idpApp !== undefined
      ? { href: `/idp/admin/apps/${encodeURIComponent(scope.idpApp)}`, label: 'the IdP application page' }
      : { href: '/idp/admin', label: 'the IdP console applications' };
  }
  if (spec.side === 'sp') {
    if (scope.spAccount === undefined) return { href: '/sp/admin', label: 'the SP console accounts' };
    const account = encodeURIComponent(scope.spAccount);
    // The activation link is in the mail the SP sent: its outbox, not a setting of the SSO page.
    return code === 'SP_USER_PENDING'
      ? { href: `/sp/accounts/${account}/outbox`, label: "the SP account's outbox" }
      : { href: `/sp/admin/accounts/${account}/sso`, label: 'the SP account Single Sign-on page' };
  }
  return undefined;
}

/** " — change it on <a>the … page</a>", or nothing when no console page holds the setting. */
export function settingLink(code: string, scope: ConsoleScope | undefined): SafeHtml | '' {
  if (scope === undefined) return '';
  const target = settingPage(code, scope);
  return target ? html` — change it on <a href="${target.href}">${target.label}</a>` : '';
}
