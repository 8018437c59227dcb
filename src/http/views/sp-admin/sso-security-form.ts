// The Single Sign-on page's settings beyond RingCentral's own (each one of the SSO settings of
// src/sp/inputs.ts, settable here as over the API), and "Upload with file" for IdP metadata.
import type { Account } from '../../../sp/model.js';
import { html, type SafeHtml } from '../html.js';

type Switch = 'requireNumberAttribute' | 'allowSha1' | 'allowExpiredCertificate' | 'decryptAssertions' | 'allowRsa15' | 'allowCbc';

/** Each switch with the words the form shows; the order is the order on the page. */
export const SECURITY_SWITCHES: readonly { name: Switch; label: string }[] = [
  { name: 'requireNumberAttribute', label: 'Require the number attribute (as RingCentral does)' },
  { name: 'allowSha1', label: 'Accept SHA-1 signatures and digests' },
  { name: 'allowExpiredCertificate', label: 'Accept an expired IdP certificate' },
  { name: 'decryptAssertions', label: 'Decrypt encrypted assertions (needs the SP encryption key)' },
  { name: 'allowRsa15', label: 'Accept RSA 1.5 key transport when decrypting' },
  { name: 'allowCbc', label: 'Accept AES-CBC content encryption when decrypting' },
];

export function securityForm(account: Account, csrf: SafeHtml, hasEncryptionKey: boolean): SafeHtml {
  const sso = account.sso;
  return html`<section><h2>Assertion checks</h2>
<form method="post" action="/sp/admin/accounts/${encodeURIComponent(account.id)}/sso/checks">${csrf}
<label for="clock-skew">Accepted clock skew (seconds, 0 to 3600)</label><input id="clock-skew" name="clockSkewSec" type="number" min="0" max="3600" step="1" value="${sso.clockSkewSec}" required>
${SECURITY_SWITCHES.map(
  (s) => html`<p><input type="checkbox" id="check-${s.name}" name="${s.name}" value="on"${sso[s.name] === true ? html` checked` : ''}> <label for="check-${s.name}">${s.label}</label></p>`,
)}
${hasEncryptionKey ? '' : html`<p><small>This SP has no encryption key (config <code>sp.encryptionKey</code>): decrypting is refused until it has one.</small></p>`}
<button type="submit">Save assertion checks</button></form></section>`;
}

export function metadataFileForm(account: Account, csrf: SafeHtml, maxBytes: number): SafeHtml {
  return html`<h4>Upload with file</h4>
<form method="post" action="/sp/admin/accounts/${encodeURIComponent(account.id)}/sso/idp-metadata-file" enctype="multipart/form-data">${csrf}
<label for="metadata-file">IdP metadata file (XML, at most ${Math.floor(maxBytes / 1024)} KiB)</label><input id="metadata-file" name="file" type="file" accept=".xml,application/xml,text/xml,application/samlmetadata+xml" required>
<button type="submit">Upload</button></form>`;
}
