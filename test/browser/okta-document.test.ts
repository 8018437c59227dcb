// Okta's "Integrate RingCentral with Okta" (the vendor document the Okta flavour imitates), every
// step clicked in a real browser (Debian's chromium) in the document's order, on `sso-harness
// start --blank`: no admin API call and no database shortcut. Add the RingCentral app (Applications,
// Add Application, search, Add, General Settings, Next, Sign On Methods SAML 2.0, View Setup
// Instructions and follow them, Done); select it in the list; the Provisioning tab (Configure API
// Integration, Enable API Integration, clear Import Groups and Continue in its dialog, Authenticate
// with RingCentral); To App (Deactivate Users off) and To Okta settings; assign the app to a person
// and to a group. The person is provisioned and signs in; unassigned, they stay active at
// RingCentral, because deactivation is off. Every page passes the accessibility smoke check.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addIdpUser, addSpUser, arrive, createSpAccount, mainText, ringCentral1, ringCentral2, signInAtRingCentral, signInToConsoles, spInitiatedLogin } from '../support/console-steps.js';
import { blankHarnessWalkThrough } from '../support/walk-through.js';

describe('Okta\'s RingCentral document, clicked through from a blank harness', function () {
  this.timeout(180_000);
  const walk = blankHarnessWalkThrough('okta-document');
  let url = '';
  let page: Page;
  let dir = '';
  let accountId = '';
  let appPath = '';
  const look = (name: string): Promise<void> => walk.look(name);
  const until = (path: string, pattern: RegExp): Promise<string> => walk.until(path, pattern);
  before(() => {
    ({ url, page, dir } = walk);
  });

  const spUsersPath = (): string => `/sp/admin/accounts/${encodeURIComponent(accountId)}/users`;
  /** "On the Okta Admin Console, click Applications … In the Search field, enter RingCentral … click the RingCentral link." */
  const openAppFromList = async (): Promise<void> => {
    await page.goto(`${url}/idp/admin/okta`);
    await page.getByRole('link', { name: 'Applications' }).last().click();
    await page.getByLabel('Search', { exact: true }).fill('RingCentral');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'RingCentral', exact: true }).click();
    await arrive(page, (u) => u.pathname === appPath);
  };
  const openSettings = async (pane: 'To App' | 'To Okta'): Promise<void> => {
    await openAppFromList();
    await page.getByRole('link', { name: 'Provisioning', exact: true }).click();
    await page.getByRole('navigation', { name: 'SETTINGS' }).getByRole('link', { name: pane }).click();
    await page.getByRole('button', { name: 'Edit' }).click();
  };

  it('prerequisites: a RingCentral account on an Enterprise plan with its administrator, and Okta people and a group', async () => {
    await signInToConsoles(page, url, '/sp/admin');
    accountId = await createSpAccount(page, url, 'Acme Corp', 'Enterprise');
    await addSpUser(page, { email: 'ann@acme.test', firstName: 'Ann', lastName: 'Lee', role: 'Super Admin', password: 'ann-rc-password-1' });
    await page.goto(`${url}/idp/admin/users`);
    await addIdpUser(page, { email: 'olga@acme.test', firstName: 'Olga', lastName: 'Ortiz', street: '1 Main St', region: 'CA', postalCode: '94002', phone: '+16505550111', password: 'olga-password-1' });
    await addIdpUser(page, { email: 'gus@acme.test', firstName: 'Gus', lastName: 'Grant', street: '2 Main St', password: 'gus-password-1' });
    await page.goto(`${url}/idp/admin/groups`);
    await page.getByLabel('Group name').fill('RingCentral Users');
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.getByRole('link', { name: 'RingCentral Users' }).waitFor();
    await page.getByLabel('Add a member').first().selectOption({ label: 'gus@acme.test' });
    await page.getByRole('button', { name: 'Add', exact: true }).first().click();
    await page.getByRole('cell', { name: 'gus@acme.test' }).first().waitFor();
  });

  it('1. adds the RingCentral app: Applications, Add Application, search, Add, General Settings, Next', async () => {
    await page.goto(`${url}/idp/admin`);
    await page.getByRole('link', { name: 'Okta Admin Console' }).click();
    await look('okta-dashboard');
    await page.getByRole('link', { name: 'Applications' }).last().click();
    await page.getByRole('link', { name: 'Add Application' }).click();
    await page.getByLabel('Search for an application').fill('RingCentral');
    await page.getByRole('button', { name: 'Search' }).click();
    await look('okta-add-application');
    await page.getByRole('button', { name: 'Add', exact: true, description: 'RingCentral' }).click();
    await page.getByRole('heading', { name: 'General Settings' }).waitFor();
    await page.getByLabel('Application label').fill('RingCentral');
    await page.getByLabel(/RingCentral domain/).fill(new URL(url).host);
    await look('okta-general-settings');
    await page.getByRole('button', { name: 'Next' }).click();
    await arrive(page, (u) => u.pathname.endsWith('/sign-on'));
    appPath = new URL(page.url()).pathname.replace(/\/sign-on$/, '');
  });

  it('1.6–1.7 selects SAML 2.0, follows the setup instructions at RingCentral, and clicks Done', async () => {
    await page.getByLabel('SAML 2.0').check();
    await look('okta-sign-on-options');
    await page.getByRole('link', { name: 'View Setup Instructions' }).click();
    await page.getByRole('heading', { name: /How to Configure SAML 2.0 for RingCentral/ }).waitFor();
    const metadataUrl = (await page.locator('#idp-metadata-url').textContent()) ?? '';
    assert.match(metadataUrl, /^http:\/\/127\.0\.0\.1:\d+\/idp\/apps\/[^/]+\/metadata$/);
    await look('okta-setup-instructions');
    // The instructions, at RingCentral: the metadata by URL, the email mapping, then Enable SSO.
    await ringCentral1(page, url, accountId, metadataUrl);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download' }).click();
    const spMetadataFile = join(dir, 'ringcentral-sp-metadata.xml');
    await (await download).saveAs(spMetadataFile);
    await ringCentral2(page, url, accountId);
    // Back in the instructions: RingCentral's metadata, whose certificate verifies its signed AuthnRequests.
    await page.goto(`${url}${appPath}/setup-instructions`);
    await page.getByLabel('RingCentral SP metadata file').setInputFiles(spMetadataFile);
    await page.getByRole('button', { name: 'Upload SP metadata' }).click();
    await page.getByText(/Uploaded the SP metadata of/).waitFor();
    await page.goto(`${url}${appPath}/sign-on`);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByText(/is added, signing on with SAML 2\.0/).waitFor();
    await look('okta-application');
  });

  it('2–3. selects RingCentral in the list, opens the Provisioning tab, Configure API Integration, Enable API Integration', async () => {
    await openAppFromList();
    await page.getByRole('link', { name: 'Provisioning', exact: true }).click();
    await page.getByRole('navigation', { name: 'SETTINGS' }).waitFor();
    await look('okta-provisioning');
    await page.getByRole('button', { name: 'Configure API Integration' }).click();
    await page.getByLabel('Enable API Integration').check();
    await look('okta-configure-api-integration');
  });

  it('4. clears Import Groups and clicks Continue in the Disable Import Groups dialog; RingCentral has no groups', async () => {
    await page.getByLabel('Import Groups').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable Import Groups' });
    await dialog.waitFor();
    await look('okta-disable-import-groups');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await page.getByText(/RingCentral has no groups to import/).waitFor();
    assert.equal(await page.getByLabel('Import Groups').isChecked(), false);
    assert.equal(await page.getByLabel('Enable API Integration').isChecked(), true);
  });

  it('5. Authenticate with RingCentral: the RingCentral Sign In window, email, Next, password, Sign In', async () => {
    await page.getByRole('button', { name: 'Authenticate with RingCentral' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await look('ringcentral-sign-in');
    await signInAtRingCentral(page, 'ann@acme.test', 'ann-rc-password-1');
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.getByText(/successfully verified/).waitFor();
    assert.match(await mainText(page), /Okta provisioning client/);
    await page.getByRole('link', { name: 'Back to the Provisioning tab' }).click();
    await page.getByText('verified: provisioning to RingCentral').waitFor();
    await look('okta-provisioning-verified');
  });

  it('6. edits the Okta to RingCentral settings: To App, Edit, Deactivate Users off, Save', async () => {
    await openSettings('To App');
    assert.equal(await page.getByLabel('Create Users').isChecked(), true);
    assert.equal(await page.getByLabel('Update User Attributes').isChecked(), true);
    await page.getByLabel('Deactivate Users').uncheck();
    await look('okta-to-app');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').waitFor();
    assert.doesNotMatch(await mainText(page), /Deactivate Users\s*(on|yes|enabled)/i);
  });

  it('7. edits the RingCentral to Okta settings: To Okta, Edit, the import schedule, Save', async () => {
    await openSettings('To Okta');
    await page.getByLabel('Import schedule').selectOption({ label: 'Every day' });
    await look('okta-to-okta');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').waitFor();
    assert.match(await mainText(page), /Every day/);
  });

  it('8. assigns the app to a person: provisioned to RingCentral, activated, and signs in with SSO', async () => {
    await openAppFromList();
    await page.getByLabel('Person').selectOption({ label: 'olga@acme.test' });
    await page.getByRole('button', { name: 'Assign to People' }).click();
    await page.getByText('Assigned RingCentral to olga@acme.test.').waitFor();
    await look('okta-assignments');
    await until(spUsersPath(), /olga@acme\.test.*pending/s);
    await page.goto(`${url}/sp/accounts/${encodeURIComponent(accountId)}/outbox`);
    await page.locator('a[href*="/sp/activate/"]').first().click();
    await arrive(page, (u) => u.pathname.startsWith('/sp/activate/'));
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByText('is active').waitFor();
    const p = await spInitiatedLogin(url, 'olga@acme.test', 'olga-password-1');
    await arrive(p, (u) => u.pathname === '/sp/home');
    assert.match(await mainText(p), /olga@acme\.test/);
    await p.close();
  });

  it('with Deactivate Users off, unassigning the person leaves them active at RingCentral; a group is still provisioned', async () => {
    await openAppFromList();
    await page.getByRole('button', { name: 'Remove olga@acme.test' }).click();
    await page.getByText('olga@acme.test is no longer assigned directly.').waitFor();
    // The application's changes are pushed in order: once the group's member arrives, the removal has been handled.
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'RingCentral Users' });
    await page.getByRole('button', { name: 'Assign to Groups' }).click();
    await page.getByText('Assigned RingCentral to the group RingCentral Users.').waitFor();
    const users = await until(spUsersPath(), /gus@acme\.test/);
    assert.match(users, /olga@acme\.test\s*Olga Ortiz\s*active/, 'the deprovisioning was not pushed');
    await look('sp-users-after-unassign');
    // The To App pane says which change was held back, and why.
    await page.goto(`${url}${appPath}/provisioning/to-app`);
    assert.match(await mainText(page), /olga@acme\.test[\s\S]*Deactivate Users is off/);
    await look('okta-to-app-held-back');
  });
});
