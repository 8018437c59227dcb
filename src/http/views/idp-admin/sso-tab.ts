// The SSO tab of an IdP application, as JumpCloud's: the Metadata URL to copy, the SP values
// (typed by hand for a Custom SAML App), "Upload Metadata" (a file, or pasted XML), the SAML
// settings (NameID, what is signed and how, encryption, the default response scenario,
// IdP-initiated login), RingCentral's URL-encoded administrator email, and "Deactivate SSO" at the
// bottom, which asks for a save before it takes effect.
import { appEncryption } from '../../../idp/assertion-encryption.js';
import { USER_PROPERTIES, type IdpApp } from '../../../idp/model.js';
import { NAMEID_FORMAT } from '../../../saml/urn.js';
import { html, type SafeHtml } from '../html.js';

export interface SsoTabContext {
  endpoints: { metadataUrl: string };
  missing: readonly string[];
  scenarios: readonly { id: string; title: string }[];
  /** "Deactivate SSO" (or "Activate SSO") was clicked: the change waits for save. */
  ssoChange?: 'deactivate' | 'activate';
}

export interface FormContext {
  csrf: SafeHtml;
  nonce: string;
}

const selected = (on: boolean): SafeHtml => (on ? html` selected` : html``);
const checked = (on: boolean): SafeHtml => (on ? html` checked` : html``);

function options(values: readonly string[], current: string, label: (v: string) => string = (v) => v): SafeHtml[] {
  return values.map((v) => html`<option value="${v}"${selected(v === current)}>${label(v)}</option>`);
}

/** The Custom SAML App's SP values: typed by hand, or filled by uploading the SP metadata. */
function spValuesForm(app: IdpApp, base: string, v: FormContext): SafeHtml {
  if (app.template !== 'custom-saml') return html``;
  return html`<form method="post" action="${base}/sp-values">${v.csrf}
<label for="sp-entity-id">SP Entity ID</label><input id="sp-entity-id" name="spEntityId" value="${app.sp.entityId}" required>
<label for="acs-urls">ACS URLs (one per line; the first is the default)</label><textarea id="acs-urls" name="acsUrls" rows="3" required>${app.sp.acs.map((a) => a.url).join('\n')}</textarea>
<button type="submit">Save SP values</button></form>`;
}

function uploadForms(base: string, v: FormContext): SafeHtml {
  return html`<h3>Upload Metadata</h3>
<form method="post" action="${base}/sp-metadata-file" enctype="multipart/form-data">${v.csrf}
<label for="sp-metadata-file">SP metadata file</label><input type="file" id="sp-metadata-file" name="metadata" accept=".xml,application/xml,text/xml,application/samlmetadata+xml" required>
<button type="submit">Upload Metadata</button></form>
<form method="post" action="${base}/sp-metadata">${v.csrf}
<label for="sp-metadata">Or paste the SP metadata XML</label><textarea id="sp-metadata" name="xml" rows="5" required></textarea>
<button type="submit">Upload pasted metadata</button></form>`;
}

function samlSettingsForm(app: IdpApp, base: string, scenarios: SsoTabContext['scenarios'], v: FormContext): SafeHtml {
  const signed = app.signing.assertion && app.signing.response ? 'both' : app.signing.response ? 'response' : 'assertion';
  const enc = appEncryption(app);
  return html`<form method="post" action="${base}/sso">${v.csrf}
<label for="nameid-property">NameID (user property)</label><select id="nameid-property" name="nameIdProperty">${options(USER_PROPERTIES, app.nameId.property)}</select>
<label for="nameid-format">NameID format</label><select id="nameid-format" name="nameIdFormat">${options(Object.keys(NAMEID_FORMAT), app.nameId.format)}</select>
<fieldset><legend>Sign</legend>
<input type="radio" id="signed-assertion" name="signed" value="assertion"${checked(signed === 'assertion')}> <label for="signed-assertion">Assertion</label>
<input type="radio" id="signed-response" name="signed" value="response"${checked(signed === 'response')}> <label for="signed-response">Response</label>
<input type="radio" id="signed-both" name="signed" value="both"${checked(signed === 'both')}> <label for="signed-both">Both</label></fieldset>
<label for="signature-algorithm">Signature algorithm</label><select id="signature-algorithm" name="signatureAlgorithm">${options(['rsa-sha256', 'rsa-sha512', 'rsa-sha1'], app.signing.algorithm, (a) => (a === 'rsa-sha1' ? 'rsa-sha1 (weak: only for SPs that need it)' : a))}</select>
<fieldset><legend>Encryption</legend>
<p><input type="checkbox" id="encrypt-assertion" name="encryptAssertion" value="on"${checked(enc.enabled)}> <label for="encrypt-assertion">Encrypt assertion</label></p>
<label for="data-algorithm">Data encryption algorithm</label><select id="data-algorithm" name="dataAlgorithm">${options(['aes256-gcm', 'aes128-gcm', 'aes256-cbc'], enc.dataAlgorithm, (a) => (a === 'aes256-cbc' ? 'aes256-cbc (insecure)' : a))}</select>
<label for="key-transport">Key transport algorithm</label><select id="key-transport" name="keyTransport">${options(['rsa-oaep', 'rsa-1_5'], enc.keyTransport, (a) => (a === 'rsa-1_5' ? 'rsa-1_5 (insecure)' : a))}</select></fieldset>
<label for="response-scenario">Default response scenario</label><select id="response-scenario" name="responseScenario">${scenarios.map((s) => html`<option value="${s.id}"${selected(s.id === app.responseScenario)}>${s.id}: ${s.title}</option>`)}</select>
<fieldset><legend>IdP-initiated login</legend>
<p><input type="checkbox" id="idp-initiated" name="idpInitiated" value="on"${checked(app.idpInitiated === true)}> <label for="idp-initiated">Start IdP-initiated from the portal (an unsolicited Response)</label></p>
<label for="default-relay-state">Default RelayState</label><input id="default-relay-state" name="defaultRelayState" value="${app.defaultRelayState ?? ''}" placeholder="/sp/home"></fieldset>
${app.template === 'ringcentral' ? adminEmailField(app) : ''}
<button type="submit">save</button></form>`;
}

function adminEmailField(app: IdpApp): SafeHtml {
  return html`<label for="admin-email">Administrator email (URL-encoded, e.g. admin%40acme.test)</label><input id="admin-email" name="adminEmail" value="${app.adminEmail ? encodeURIComponent(app.adminEmail) : ''}" aria-describedby="admin-email-decoded">
<p id="admin-email-decoded">${app.adminEmail ? html`Decoded: <strong>${app.adminEmail}</strong>` : 'Not set.'}</p>`;
}

/** The bottom of the tab: "Deactivate SSO" (or "Activate SSO"), then save. */
function ssoSwitch(app: IdpApp, base: string, change: SsoTabContext['ssoChange'], v: FormContext): SafeHtml {
  if (change) {
    const deactivate = change === 'deactivate';
    return html`<form id="sso-switch" method="post" action="${base}/sso/${change}">${v.csrf}
<p role="status">${deactivate ? `SSO will be deactivated: users can no longer sign in to ${app.displayLabel} through the IdP.` : `SSO will be activated for ${app.displayLabel}.`} Click save to confirm, or <a href="${base}">cancel</a>.</p>
<button type="submit" id="save-sso-switch">save</button></form>`;
  }
  return app.ssoActive
    ? html`<p><a id="deactivate-sso" href="${base}/sso/deactivate">Deactivate SSO</a></p>`
    : html`<p>SSO is deactivated: the application refuses logins. <a id="activate-sso" href="${base}/sso/activate">Activate SSO</a></p>`;
}

export function ssoTab(app: IdpApp, ctx: SsoTabContext, v: FormContext): SafeHtml {
  const base = `/idp/admin/apps/${encodeURIComponent(app.id)}`;
  return html`<section><h2>SSO</h2>
${ctx.missing.length > 0 ? html`<p class="error" role="alert">Not ready for logins: ${ctx.missing.join(', ')}.</p>` : ''}
<label for="metadata-url">IdP Metadata URL</label>
<input id="metadata-url" readonly value="${ctx.endpoints.metadataUrl}"> <button type="button" id="copy-metadata-url" data-copy="metadata-url">Copy Metadata URL</button>
<script nonce="${v.nonce}">document.getElementById('copy-metadata-url').addEventListener('click',function(){var i=document.getElementById('metadata-url');i.select();if(navigator.clipboard){navigator.clipboard.writeText(i.value)}this.textContent='Copied'})</script>
<table><tr><th scope="row">SP Entity ID</th><td><code>${app.sp.entityId || '–'}</code></td></tr>
<tr><th scope="row">ACS URLs</th><td>${app.sp.acs.map((a) => html`<div><code>${a.url}</code></div>`)}</td></tr>
<tr><th scope="row">Signed requests</th><td>${app.sp.authnRequestsSigned ? 'required (SP metadata)' : 'not required'}</td></tr>
<tr><th scope="row">Single Logout</th><td>${(app.sp.sloServices ?? []).map((s) => html`<div><code>${s.location}</code></div>`)}${(app.sp.sloServices ?? []).length === 0 ? 'none' : ''}</td></tr>
<tr><th scope="row">SP metadata</th><td>${app.sp.metadataUploadedAt ? `uploaded ${app.sp.metadataUploadedAt}` : 'not uploaded'}</td></tr></table>
${spValuesForm(app, base, v)}
${uploadForms(base, v)}
<h3>SAML settings</h3>
${samlSettingsForm(app, base, ctx.scenarios, v)}
${ssoSwitch(app, base, ctx.ssoChange, v)}</section>`;
}
