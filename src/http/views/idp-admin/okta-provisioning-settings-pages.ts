// The Okta Provisioning tab's To App and To Okta panes, in the words of Okta's RingCentral
// document ("select To App in the SETTINGS list … Click Edit in the right pane, edit the settings,
// and click Save"): each pane shows its settings read-only with an Edit button, and Edit opens the
// form. To App also lists the changes its settings held back, so the admin sees why a change did
// not reach RingCentral. Plain forms, no script.
import type { ProvisioningJob, PublicIdmState } from '../../../idp/identity-management.js';
import type { IdpApp } from '../../../idp/model.js';
import type { ImportSchedule, MatchRule, ProvisioningSettings, ToAppSettings } from '../../../idp/provisioning-settings.js';
import { SCIM_SCHEMA } from '../../../scim-protocol/urn.js';
import { html, type SafeHtml } from '../html.js';
import type { IdpAdminView } from '../idp-admin-pages.js';
import { oktaProvisioningPage, provisioningPath } from './okta-provisioning-pages.js';

/** The value of the "Do not map" choice in the Attribute Mappings selects. */
export const DO_NOT_MAP = 'none';

export const SCHEDULE_WORDS: Readonly<Record<ImportSchedule, string>> = { never: 'Never', hourly: 'Every hour', daily: 'Every day' };
export const MATCH_WORDS: Readonly<Record<MatchRule, string>> = { email: 'Email matches', username: 'Username matches' };
const onOff = (on: boolean): string => (on ? 'Enabled' : 'Disabled');

type Mappings = ToAppSettings['attributeMappings'];
type MappedAttribute = keyof Mappings;

/** The optional RingCentral attributes, and what each can take besides "Do not map". */
function mappingChoices(attribute: MappedAttribute, customAttributes: readonly string[]): { value: string; label: string }[] {
  switch (attribute) {
    case 'phoneNumbers':
      return [{ value: 'phoneNumbers', label: "The user's phone numbers" }];
    case 'addresses':
      return [{ value: 'addresses', label: "The user's addresses" }];
    case 'department':
      return [{ value: 'department', label: "The user's department" }, ...customAttributes.map((name) => ({ value: `custom:${name}`, label: `Custom attribute ${name}` }))];
  }
}

const MAPPED: readonly { attribute: MappedAttribute; label: string; scim: string }[] = [
  { attribute: 'phoneNumbers', label: 'Phone numbers', scim: 'phoneNumbers' },
  { attribute: 'addresses', label: 'Addresses', scim: 'addresses' },
  { attribute: 'department', label: 'Department', scim: `${SCIM_SCHEMA.enterpriseUser}:department` },
];

function mappingWords(value: Mappings[MappedAttribute]): string {
  if (value === null) return 'Do not map';
  if (value.startsWith('custom:')) return `Custom attribute ${value.slice('custom:'.length)}`;
  return `The user's ${value === 'phoneNumbers' ? 'phone numbers' : value}`;
}

const checkbox = (id: string, name: string, checked: boolean, label: string): SafeHtml =>
  checked
    ? html`<p><input type="checkbox" id="${id}" name="${name}" value="on" checked> <label for="${id}">${label}</label></p>`
    : html`<p><input type="checkbox" id="${id}" name="${name}" value="on"> <label for="${id}">${label}</label></p>`;

const option = (value: string, label: string, selected: boolean): SafeHtml =>
  selected ? html`<option value="${value}" selected>${label}</option>` : html`<option value="${value}">${label}</option>`;

export interface ToAppPaneData {
  settings: ProvisioningSettings;
  /** Custom attribute names some IdP user has: the department's other sources. */
  customAttributes: readonly string[];
  /** The latest changes these settings held back (skipped jobs). */
  heldBack: readonly ProvisioningJob[];
  editing: boolean;
}

function heldBackSection(jobs: readonly ProvisioningJob[]): SafeHtml {
  if (jobs.length === 0) return html`<p>No change has been held back by these settings.</p>`;
  return html`<table><caption>Changes held back by these settings (latest first): not sent to RingCentral</caption>
<tr><th scope="col">user</th><th scope="col">change</th><th scope="col">why</th><th scope="col">when</th></tr>${jobs.map(
    (j) => html`<tr><td>${j.userEmail}</td><td>${j.action}</td><td>${j.note ?? ''}</td><td>${j.createdAt}</td></tr>`,
  )}</table>`;
}

export function toAppPage(app: IdpApp, d: ToAppPaneData, v: IdpAdminView): string {
  const path = provisioningPath(app.id, 'to-app');
  const { toApp } = d.settings;
  const body = d.editing
    ? html`<h2>Provisioning to App</h2>
<form method="post" action="${path}">${v.csrf}
${checkbox('create-users', 'createUsers', toApp.createUsers, 'Create Users')}
${checkbox('update-user-attributes', 'updateUserAttributes', toApp.updateUserAttributes, 'Update User Attributes')}
${checkbox('deactivate-users', 'deactivateUsers', toApp.deactivateUsers, 'Deactivate Users')}
<table><caption>Attribute Mappings</caption>
<tr><th scope="col">RingCentral attribute</th><th scope="col">value from the Okta user</th></tr>${MAPPED.map(
        (m) => html`<tr><td><label for="map-${m.attribute}">${m.label}</label> <code>${m.scim}</code></td><td><select id="map-${m.attribute}" name="${m.attribute}">${mappingChoices(m.attribute, d.customAttributes).map((c) =>
          option(c.value, c.label, toApp.attributeMappings[m.attribute] === c.value),
        )}${option(DO_NOT_MAP, 'Do not map', toApp.attributeMappings[m.attribute] === null)}</select></td></tr>`,
      )}</table>
<p>userName, the name and the email are always sent: RingCentral requires them.</p>
<button type="submit">Save</button></form>
<p><a href="${path}">Cancel</a></p>`
    : html`<h2>Provisioning to App</h2>
<table class="kv"><tr><th scope="row">Create Users</th><td>${onOff(toApp.createUsers)}</td></tr>
<tr><th scope="row">Update User Attributes</th><td>${onOff(toApp.updateUserAttributes)}</td></tr>
<tr><th scope="row">Deactivate Users</th><td>${onOff(toApp.deactivateUsers)}</td></tr></table>
<table><caption>Attribute Mappings</caption>
<tr><th scope="col">RingCentral attribute</th><th scope="col">value from the Okta user</th></tr>${MAPPED.map(
        (m) => html`<tr><td>${m.label} <code>${m.scim}</code></td><td>${mappingWords(toApp.attributeMappings[m.attribute])}</td></tr>`,
      )}</table>
<form method="get" action="${path}/edit"><button type="submit">Edit</button></form>
<h3>Held back</h3>${heldBackSection(d.heldBack)}`;
  return oktaProvisioningPage(app, 'to-app', body, v);
}

export interface ToOktaPaneData {
  settings: ProvisioningSettings;
  schedule: PublicIdmState['scheduledImport'];
  editing: boolean;
}

function scheduleState(schedule: ToOktaPaneData['schedule']): SafeHtml {
  if (!schedule) return html``;
  return html`<tr><th scope="row">Next scheduled import</th><td>${schedule.nextAt}</td></tr>
${schedule.lastAt ? html`<tr><th scope="row">Last scheduled import</th><td>${schedule.lastAt}${schedule.lastError ? html` <span class="fail">stopped: ${schedule.lastError}</span>` : ''}</td></tr>` : ''}`;
}

export function toOktaPage(app: IdpApp, d: ToOktaPaneData, v: IdpAdminView): string {
  const path = provisioningPath(app.id, 'to-okta');
  const { toOkta } = d.settings;
  const importPage = `/idp/admin/apps/${encodeURIComponent(app.id)}/idm/import`;
  const body = d.editing
    ? html`<h2>Provisioning to Okta</h2>
<form method="post" action="${path}">${v.csrf}
<p><label for="import-schedule">Import schedule</label> <select id="import-schedule" name="importSchedule">${(Object.keys(SCHEDULE_WORDS) as ImportSchedule[]).map((s) =>
        option(s, SCHEDULE_WORDS[s], toOkta.importSchedule === s),
      )}</select></p>
<fieldset><legend>Okta username format / match rule: Imported user is an exact match to Okta user if</legend>${(Object.keys(MATCH_WORDS) as MatchRule[]).map((m) =>
        toOkta.matchBy === m
          ? html`<p><input type="radio" id="match-${m}" name="matchBy" value="${m}" checked> <label for="match-${m}">${MATCH_WORDS[m]}</label></p>`
          : html`<p><input type="radio" id="match-${m}" name="matchBy" value="${m}"> <label for="match-${m}">${MATCH_WORDS[m]}</label></p>`,
      )}<p>Username matches: the RingCentral userName (its work email) equals the Okta username.</p></fieldset>
${checkbox('confirm-new-users', 'confirmNewUsers', toOkta.confirmNewUsers, 'Confirm new users automatically')}
<p>A scheduled import lists RingCentral's users; with new users confirmed automatically it imports the New ones, otherwise it lists them on the <a href="${importPage}">manual import</a> page for you to import.</p>
<button type="submit">Save</button></form>
<p><a href="${path}">Cancel</a></p>`
    : html`<h2>Provisioning to Okta</h2>
<table class="kv"><tr><th scope="row">Import schedule</th><td>${SCHEDULE_WORDS[toOkta.importSchedule]}</td></tr>
<tr><th scope="row">Imported user is an exact match to Okta user if</th><td>${MATCH_WORDS[toOkta.matchBy]}</td></tr>
<tr><th scope="row">Confirm new users automatically</th><td>${onOff(toOkta.confirmNewUsers)}</td></tr>
${scheduleState(d.schedule)}</table>
<form method="get" action="${path}/edit"><button type="submit">Edit</button></form>
<p>Import now, and see the last import: <a href="${importPage}">manual import</a>.</p>`;
  return oktaProvisioningPage(app, 'to-okta', body, v);
}
