// The IdP's Identity Management pages: where the SP's "Authorize" comes back to.
import type { PublicIdmState } from '../../idp/identity-management.js';
import { html, page } from './html.js';

/** The callback's answer once the code is exchanged and the SP's SCIM API answered. */
export function idmVerifiedPage(appLabel: string, state: Pick<PublicIdmState, 'flavor' | 'apiBaseUrl'>): string {
  return page(
    'Identity Management verified',
    html`<h1>Identity Management integration successfully verified</h1>
<p class="ok">${appLabel} is connected (${state.flavor === 'okta' ? 'Okta' : 'JumpCloud'} provisioning client, ${state.apiBaseUrl}).</p>
<p>Users of the groups bound to ${appLabel} are now created, updated and deactivated there.</p>`,
    { side: 'idp' },
  );
}
