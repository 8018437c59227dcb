// The IdP's Identity Management pages: where the SP's "Authorize" comes back to.
import type { PublicIdmState } from '../../idp/identity-management.js';
import { html, page } from './html.js';
import { FLAVOR_NAMES } from '../../idp/model.js';

/** The callback's answer once the code is exchanged and the SP's SCIM API answered. */
export function idmVerifiedPage(appLabel: string, state: Pick<PublicIdmState, 'flavor' | 'apiBaseUrl'>, back: { href: string; label: string }): string {
  return page(
    'Identity Management verified',
    html`<h1>Identity Management integration successfully verified</h1>
<p class="ok">${appLabel} is connected (${FLAVOR_NAMES[state.flavor]} provisioning client, ${state.apiBaseUrl}).</p>
<p>Users assigned to ${appLabel}, directly or through a group, are now created, updated and deactivated there.</p>
<p><a href="${back.href}">${back.label}</a></p>`,
    { side: 'idp' },
  );
}
