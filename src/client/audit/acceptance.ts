// How the audit tells an accepted login from a refused one at the audited SP: an explicit rule
// (status, redirect target, text of the final page), or by default the shape of the SP's answer
// to the genuine login (same status, same redirect path).

export interface AcceptRule {
  /** The HTTP status the ACS answers an accepted login with. */
  status?: number;
  /** Matches the absolute URL the ACS redirects an accepted login to. */
  location?: RegExp;
  /** Matches the page the browser ends on after the ACS (redirects followed). */
  body?: RegExp;
}

/** What the ACS did with one posted response. */
export interface AcsObservation {
  acsUrl: string;
  status: number;
  /** Absolute redirect target, when the ACS redirected. */
  location?: string;
  /** An error code the ACS page shows (`<code>SAML_AUDIENCE</code>`, JSON `error`). */
  code?: string;
  message?: string;
  /** The page reached after following the ACS redirects (only read when a body rule needs it). */
  final?: { url: string; status: number; text: string };
}

export interface Acceptance {
  /** One line for the report: how acceptance was judged. */
  description: string;
  /** The final page must be read for this rule. */
  needsFinalPage: boolean;
  accepts(observation: AcsObservation): boolean;
}

const pathOf = (url: string | undefined): string | undefined => (url === undefined ? undefined : new URL(url).pathname);

export function explicitAcceptance(rule: AcceptRule): Acceptance {
  const parts: string[] = [];
  if (rule.status !== undefined) parts.push(`the ACS answers HTTP ${rule.status}`);
  if (rule.location) parts.push(`the ACS redirects to a URL matching ${rule.location}`);
  if (rule.body) parts.push(`the final page matches ${rule.body}`);
  return {
    description: parts.join(' and '),
    needsFinalPage: rule.body !== undefined,
    accepts: (o) =>
      (rule.status === undefined || o.status === rule.status) &&
      (rule.location === undefined || (o.location !== undefined && rule.location.test(o.location))) &&
      (rule.body === undefined || (o.final !== undefined && rule.body.test(o.final.text))),
  };
}

/** Accepted means: answered like the genuine login (same status, same redirect path). */
export function baselineAcceptance(baseline: AcsObservation): Acceptance {
  const path = pathOf(baseline.location);
  const description =
    path === undefined
      ? `as the genuine login: HTTP ${baseline.status} without a redirect (weak: give --accept-body to tell the SP's pages apart)`
      : `as the genuine login: HTTP ${baseline.status} redirecting to ${path}`;
  return {
    description,
    needsFinalPage: false,
    accepts: (o) => o.status === baseline.status && pathOf(o.location) === path && (path !== undefined || o.code === undefined),
  };
}
